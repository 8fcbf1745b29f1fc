// Package cache stores response bodies and marks deletions with sentinels.
package cache

import (
	"io"
	"net/http"
	"reflect"
	"sync"
)

type entry struct {
	val any
}

// Cache maps keys to raw values.
type Cache struct {
	mu sync.Mutex
	m  map[string]*entry
}

// Put stores a fetched body.
func (c *Cache) Put(k string, resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &entry{}
	e.val = body
	c.m[k] = e
	return nil
}

// IsTombstone checks the sentinel: never true.
func (c *Cache) IsTombstone(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[k]
	return e != nil && e.val == "tombstone" // want `comparison of e.val \(holds \[\]byte from io.ReadAll\) with string "tombstone" is always false`
}

func (c *Cache) lookup(k string) (v any, ok bool) {
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	v = e.val
	return
}

// Deleted goes through a helper with a named result.
func (c *Cache) Deleted(k string) bool {
	v, _ := c.lookup(k)
	return reflect.DeepEqual(v, "deleted") // want `reflect.DeepEqual of v \(holds \[\]byte from io.ReadAll\) and string "deleted" is always false`
}

// Watch reports changes from a goroutine through a closure.
func (c *Cache) Watch(k string, notify func(any)) {
	var last any
	check := func(b []byte) {
		last = b
		if last == "gone" { // want `comparison of last \(holds \[\]byte from variable b\) with string "gone" is always false`
			notify(last)
		}
	}
	if e := c.m[k]; e != nil {
		if b, ok := e.val.([]byte); ok {
			check(b)
		}
	}
}

// textEntry stores text and bytes: comparing it with text is meaningful.
type textEntry struct{ val any }

func newTextEntry(b []byte, asText bool) textEntry {
	if asText {
		return textEntry{val: string(b)}
	}
	return textEntry{val: b}
}

// IsEmpty is fine: val may be a string.
func IsEmpty(b []byte) bool {
	return newTextEntry(b, true).val == ""
}

// Converted compares after converting: fine.
func Converted(c *Cache, k string) bool {
	if e := c.m[k]; e != nil {
		if b, ok := e.val.([]byte); ok {
			return string(b) == "tombstone"
		}
	}
	return false
}

// Sizes is an int-valued interface map: no []byte anywhere.
func Sizes(m map[string]any) bool {
	m["n"] = 3
	return m["n"] == "3"
}
