// Package gobkeys is a service that builds cache keys, ETags and change
// detectors from gob-encoded values.
package gobkeys

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/http"

	"keyutil"
	"tokencache"
)

// Session is a logged-in user's state.
type Session struct {
	UserID string
	Roles  []string
	Attrs  map[string]string
}

// SessionCache caches rendered pages per session.
type SessionCache struct {
	entries map[string][]byte
}

// Page looks a page up by the session's encoding.
func (c *SessionCache) Page(s Session) []byte {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(s); err != nil {
		return nil
	}
	key := buf.String()
	return c.entries[key] // want `gob bytes of Session \(contains map field Attrs\) used as a map key \(c.entries\[...\]\): gob encodes maps in iteration order, so equal values give different keys; encode with encoding/json or sort before encoding`
}

// cacheChecksum is kubelogin's token cache key (int128/kubelogin#1638).
func cacheChecksum(key tokencache.Key) string {
	s := sha256.New()
	if err := gob.NewEncoder(s).Encode(&key); err != nil { // want `gob bytes of tokencache.Key \(contains map field Provider.AuthRequestExtraParams\) written into hash s: .*equal values hash differently`
		panic(err)
	}
	return hex.EncodeToString(s.Sum(nil))
}

// cacheKey names its result a key.
func cacheKey(s *Session) (string, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil // want `gob bytes of Session \(contains map field Attrs\) returned by cacheKey`
}

// Response is an API response rendered with an ETag.
type Response struct {
	Items  []string
	Counts map[string]int
}

func serveWithETag(w http.ResponseWriter, resp Response) {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(resp)
	etag := fmt.Sprintf("%x", md5.Sum(buf.Bytes())) // want `gob bytes of Response \(contains map field Counts\) hashed by md5.Sum`
	w.Header().Set("ETag", etag)
	w.Write(buf.Bytes())
}

// Preferences travels as an opaque ETag without hashing.
type Preferences struct {
	Theme   string
	Toggles map[string]bool
}

func servePrefs(w http.ResponseWriter, p *Preferences) {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(p)
	w.Header().Set("ETag", hex.EncodeToString(buf.Bytes())) // want `gob bytes of Preferences \(contains map field Toggles\) sent as the ETag header`
}

// Labels is a named map type.
type Labels map[string]string

func labelHash(l Labels) uint64 {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(l)
	h := fnv.New64a()
	h.Write(buf.Bytes()) // want `gob bytes of Labels \(is a map\) hashed by h.Write`
	return h.Sum64()
}

// Backend is a remote cache.
type Backend interface {
	Read(ctx context.Context, cacheKey string) ([]byte, error)
	Set(string, []byte)
}

func fetchSession(ctx context.Context, b Backend, s Session) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		return nil, err
	}
	return b.Read(ctx, buf.String()) // want `gob bytes of Session \(contains map field Attrs\) passed as the cacheKey argument of b.Read`
}

func storeSession(b Backend, s Session, page []byte) {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	b.Set(buf.String(), page) // want `gob bytes of Session \(contains map field Attrs\) used as the key of b.Set`
}

func digestSession(s Session) string {
	return keyutil.Digest(s) // want `gob bytes of Session \(contains map field Attrs, encoded by keyutil.Digest\) hashed by sha256.Sum256 in keyutil.Digest`
}

func encodedSessionKey(s Session) string {
	b, err := keyutil.Encode(s)
	if err != nil {
		return ""
	}
	return keyutil.Hash(b) // want `gob bytes of Session \(contains map field Attrs, encoded by keyutil.Encode\) hashed by sha256.Sum256 in keyutil.Hash`
}
