// Package keys has fixture keys generated from deterministic readers.
package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"io"
	mrand "math/rand"
	"testing"
)

// zeroReader is a deterministic entropy source for golden tests.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestGoldenKey(t *testing.T) {
	r := mrand.New(mrand.NewSource(1))
	key, err := rsa.GenerateKey(r, 2048) // want `rsa\.GenerateKey ignores this \*math/rand\.Rand reader from go1\.26 and always uses a secure random source.*GODEBUG cryptocustomrand changed in go1\.26.*testing/cryptotest\.SetGlobalRandom, or keep the old behaviour with .godebug cryptocustomrand=1.`
	if err != nil {
		t.Fatal(err)
	}
	_ = key
}

func TestECDSA(t *testing.T) {
	seed := bytes.NewReader(bytes.Repeat([]byte{7}, 128))
	priv, err := ecdsa.GenerateKey(elliptic.P256(), seed) // want `ecdsa\.GenerateKey ignores this \*bytes\.Reader reader`
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("msg"))
	sig, _ := ecdsa.SignASN1(zeroReader{}, priv, digest[:]) // want `ecdsa\.SignASN1 ignores this zeroReader reader`
	_ = sig
	_, _ = ecdh.X25519().GenerateKey(io.Reader(zeroReader{})) // want `ecdh\.GenerateKey ignores this zeroReader reader`
}

func TestSmallKey(t *testing.T) {
	if _, err := rsa.GenerateKey(rand.Reader, 512); err != nil { // want `rsa\.GenerateKey with 512 bits returns an error from go1\.24.*GODEBUG rsa1024min changed in go1\.24.*godebug rsa1024min=0`
		t.Fatal(err)
	}
}

// crypto/rand, reader parameters and ed25519 (which still honours its
// reader) are fine.
func generate(r io.Reader) (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(r, 2048)
}

func TestFine(t *testing.T) {
	if _, err := rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ed25519.GenerateKey(zeroReader{}); err != nil {
		t.Fatal(err)
	}
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("msg"))
	_, _ = ecdsa.SignASN1(rand.Reader, priv, digest[:])
	_, _ = generate(rand.Reader)
	_, _ = rsa.GenerateKey(rand.Reader, 4096)
}
