package gobkeys

import (
	"bytes"
	"crypto/sha1"
	"encoding/gob"
	"encoding/hex"
	"log"
	"os"
)

// Item is a line of an order; its attributes are a map.
type Item struct {
	SKU   string
	Attrs map[string]string
}

// Order holds the map inside slice elements.
type Order struct {
	ID    string
	Items []Item
}

// gobKey is a helper that hides the encoded type behind any.
func gobKey(v any) string {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		panic(err)
	}
	sum := sha1.Sum(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// Deduper drops orders it has already seen.
type Deduper struct {
	seen map[string]bool
}

// Seen reports whether o was seen before.
func (d *Deduper) Seen(o Order) bool {
	k := gobKey(o) // want `gob bytes of Order \(contains map field Items\[\].Attrs, encoded by gobkeys.gobKey\) hashed by sha1.Sum in gobkeys.gobKey`
	if d.seen[k] {
		return true
	}
	d.seen[k] = true
	return false
}

// Item2 is memcache's item shape.
type Item2 struct {
	Key   string
	Value []byte
}

func memcacheItem(o Order) Item2 {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(o)
	return Item2{Key: hex.EncodeToString(buf.Bytes()), Value: nil} // want `gob bytes of Order \(contains map field Items\[\].Attrs\) stored in key field Item2.Key`
}

// Config is reloaded from disk; a change triggers a restart.
type Config struct {
	Listen   string
	Backends map[string]string
}

// Reloader restarts when the config changes.
type Reloader struct {
	last []byte
}

// Apply restarts the service only when cfg differs from the last one.
func (r *Reloader) Apply(cfg *Config) bool {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cfg); err != nil {
		log.Print(err)
		return false
	}
	if bytes.Equal(r.last, buf.Bytes()) { // want `gob bytes of Config \(contains map field Backends\) compared by bytes.Equal: .*equal values compare unequal`
		return false
	}
	r.last = append(r.last[:0], buf.Bytes()...)
	return true
}

// sameSnapshot compares two encodings with ==.
func sameSnapshot(a, b Config) bool {
	var ba, bb bytes.Buffer
	_ = gob.NewEncoder(&ba).Encode(a)
	_ = gob.NewEncoder(&bb).Encode(b)
	return ba.String() == bb.String() // want `gob bytes of Config \(contains map field Backends\) compared with ==`
}

// ownersFact is an analysis fact (contextcheck#30 shape).
type ownersFact struct { // want `analysis fact ownersFact contains map field Owners: drivers gob-encode facts`
	Owners map[string]string
}

func (*ownersFact) AFact() {}

// ctxFact is a map fact.
type ctxFact map[string]bool // want `analysis fact ctxFact is a map`

func (ctxFact) AFact() {}

func suppressedKey(o Order) string {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(o)
	//upshift:ignore wiredrift orders carry at most one attribute, enforced by validate()
	return hex.EncodeToString(buf.Bytes())
}

func logOrder(o Order) {
	log.Printf("order %s written to %s", o.ID, os.Args[0])
}
