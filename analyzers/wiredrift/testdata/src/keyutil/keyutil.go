// Package keyutil is a shared helper package: its functions take any value,
// so the hazard is only visible at their callers.
package keyutil

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
)

// Digest returns a hex SHA-256 of v's gob encoding.
func Digest(v any) string { // want Digest:"wiredrift summary: 1 sinks, 0 returns"
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		panic(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// Encode returns v's gob encoding.
func Encode(v any) ([]byte, error) { // want Encode:"wiredrift summary: 0 sinks, 1 returns"
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Hash hashes bytes it is given.
func Hash(b []byte) string { // want Hash:"wiredrift summary: 1 sinks, 0 returns"
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
