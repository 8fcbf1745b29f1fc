// Package lockedseq holds caches and registries guarded by mutexes that
// hand out iterators.
package lockedseq

import (
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
)

type Entry struct {
	Key   string
	Value []byte
}

// Cache is a string-keyed cache shared by request handlers.
type Cache struct {
	mu    sync.RWMutex
	items map[string]*Entry
	order []string
	name  string
}

// Keys hands out the keys; the caller ranges after RUnlock has run.
func (c *Cache) Keys() iter.Seq[string] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return maps.Keys(c.items) // want `iter.Seq from maps.Keys\(c.items\) is created while c.mu is held and returned, but the deferred c.mu.RUnlock runs before the caller ranges it: the map is read without the lock; return slices.Collect\(maps.Keys\(c.items\)\) or a copy instead`
}

// All hands out key/value pairs through a variable.
func (c *Cache) All() iter.Seq2[string, *Entry] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	seq := maps.All(c.items) // want `iter.Seq2 from maps.All\(c.items\) is created while c.mu is held and returned`
	return seq
}

// Evict drops the entries whose key has prefix; the iterator is taken under
// the lock but ranged after Unlock.
func (c *Cache) Evict(prefix string, evicted func(string)) {
	c.mu.Lock()
	keys := maps.Keys(c.items) // want `iter.Seq from maps.Keys\(c.items\) is created while c.mu is held and ranged after c.mu.Unlock: the map is read without the lock; collect it with slices.Collect before unlocking`
	c.mu.Unlock()
	for k := range keys {
		if strings.HasPrefix(k, prefix) {
			evicted(k)
		}
	}
}

// Dump collects the iterator too late.
func (c *Cache) Dump() []*Entry {
	c.mu.RLock()
	vals := maps.Values(c.items) // want `iter.Seq from maps.Values\(c.items\) is created while c.mu is held and passed to slices.Collect after c.mu.RUnlock`
	c.mu.RUnlock()
	return slices.Collect(vals)
}

// Order ranges the insertion order after unlocking.
func (c *Cache) Order(visit func(int, string)) {
	c.mu.RLock()
	seq := slices.All(c.order) // want `iter.Seq2 from slices.All\(c.order\) is created while c.mu is held and ranged after c.mu.RUnlock: the slice is read without the lock`
	c.mu.RUnlock()
	for i, k := range seq {
		visit(i, k)
	}
}

// Range returns an iterator function over guarded state.
func (c *Cache) Range() iter.Seq[*Entry] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return func(yield func(*Entry) bool) { // want `the iterator returned here reads state guarded by c.mu, but the deferred c.mu.RUnlock runs before the caller ranges it`
		for _, e := range c.items {
			if !yield(e) {
				return
			}
		}
	}
}

// Counter embeds its mutex.
type Counter struct {
	sync.Mutex
	hits map[string]int
}

func (c *Counter) Pages() iter.Seq[string] {
	c.Lock()
	defer c.Unlock()
	return maps.Keys(c.hits) // want `iter.Seq from maps.Keys\(c.hits\) is created while c is held and returned`
}

// Package-level registry guarded by a package-level mutex.
var (
	regMu    sync.Mutex
	registry = map[string]func() error{}
)

func Registered() []string {
	regMu.Lock()
	names := maps.Keys(registry) // want `iter.Seq from maps.Keys\(registry\) is created while regMu is held and passed to slices.Sorted after regMu.Unlock`
	regMu.Unlock()
	return slices.Sorted(names)
}

// Tree is an ordered index with its own iterator method.
type Tree struct{ keys []string }

func (t *Tree) Ascend() iter.Seq[string] { return slices.Values(t.keys) }

type Index struct {
	mu   sync.Mutex
	tree *Tree
}

func (ix *Index) Walk(f func(string)) {
	ix.mu.Lock()
	it := ix.tree.Ascend() // want `iter.Seq from ix.tree.Ascend\(\) is created while ix.mu is held and ranged after ix.mu.Unlock: the guarded state is read without the lock`
	ix.mu.Unlock()
	for k := range it {
		f(k)
	}
}

// ---- negatives ----

// SortedKeys collects under the lock: fine.
func (c *Cache) SortedKeys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.items))
}

// Snapshot collects before unlocking and ranges the copy.
func (c *Cache) Snapshot(visit func(string)) {
	c.mu.RLock()
	keys := slices.Collect(maps.Keys(c.items))
	c.mu.RUnlock()
	for _, k := range keys {
		visit(k)
	}
}

// Touch ranges the iterator while the lock is held.
func (c *Cache) Touch(now func(*Entry)) {
	c.mu.Lock()
	vals := maps.Values(c.items)
	for e := range vals {
		now(e)
	}
	c.mu.Unlock()
}

// CloneKeys ranges an iterator over a copy taken under the lock.
func (c *Cache) CloneKeys() iter.Seq[string] {
	c.mu.RLock()
	cp := maps.Clone(c.items)
	c.mu.RUnlock()
	return maps.Keys(cp)
}

// CopyUnderLock builds the iterator over a copy made under the lock.
func (c *Cache) CopyUnderLock(visit func(string)) {
	c.mu.RLock()
	cp := maps.Clone(c.items)
	keys := maps.Keys(cp)
	c.mu.RUnlock()
	for k := range keys {
		visit(k)
	}
}

// NameParts splits an immutable string: no shared mutable state.
func (c *Cache) NameParts() iter.Seq[string] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return strings.SplitSeq(c.name, ".")
}

// Relock takes the lock again before ranging.
func (c *Cache) Relock(visit func(string)) {
	c.mu.RLock()
	keys := maps.Keys(c.items)
	c.mu.RUnlock()
	c.mu.RLock()
	for k := range keys {
		visit(k)
	}
	c.mu.RUnlock()
}

// Reassigned replaces the iterator before using it.
func (c *Cache) Reassigned(local map[string]*Entry, visit func(string)) {
	c.mu.RLock()
	keys := maps.Keys(c.items)
	for range keys {
	}
	c.mu.RUnlock()
	keys = maps.Keys(local)
	for k := range keys {
		visit(k)
	}
}

// Locked returns an iterator that takes the lock itself.
func (c *Cache) Locked() iter.Seq[string] {
	return func(yield func(string) bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for k := range c.items {
			if !yield(k) {
				return
			}
		}
	}
}

// LockedInside returns, under a deferred unlock, an iterator that locks by
// itself when ranged.
func (c *Cache) LockedInside() iter.Seq[string] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.items) == 0 {
		return nil
	}
	return func(yield func(string) bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for k := range c.items {
			if !yield(k) {
				return
			}
		}
	}
}

// Unlocked never holds the lock: another check's business.
func (c *Cache) Unlocked() iter.Seq[string] {
	return maps.Keys(c.items)
}

// Local iterates over a request-local map while holding an unrelated lock.
func (c *Cache) Local(req map[string]int, visit func(string)) {
	c.mu.Lock()
	seq := maps.Keys(req)
	c.mu.Unlock()
	for k := range seq {
		visit(k)
	}
}

// ConsumedUnderDefer ranges inside the function, under the deferred unlock.
func (c *Cache) ConsumedUnderDefer() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for range maps.Keys(c.items) {
		n++
	}
	return n
}

// Suppressed: the caller holds a higher-level lock.
func (c *Cache) KeysUnderCallerLock() iter.Seq[string] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	//upshift:ignore iterchange callers hold Store.mu, which also guards items
	return maps.Keys(c.items)
}

// Pool hands the iterator to a goroutine after unlocking.
type Pool struct {
	mu      sync.Mutex
	workers map[int]chan string
}

func (p *Pool) Broadcast(msg string) {
	p.mu.Lock()
	chans := maps.Values(p.workers) // want `iter.Seq from maps.Values\(p.workers\) is created while p.mu is held and ranged after p.mu.Unlock`
	p.mu.Unlock()
	go func() {
		for ch := range chans {
			ch <- msg
		}
	}()
}

// Under a deferred unlock in a closure form.
func (p *Pool) IDs() iter.Seq[int] {
	p.mu.Lock()
	defer func() {
		p.mu.Unlock()
	}()
	return maps.Keys(p.workers) // want `iter.Seq from maps.Keys\(p.workers\) is created while p.mu is held and returned`
}

// Negative: the switch consumes the iterator before unlocking.
func (p *Pool) Count(kind string) int {
	p.mu.Lock()
	n := 0
	switch kind {
	case "all":
		for range maps.Keys(p.workers) {
			n++
		}
	}
	p.mu.Unlock()
	return n
}
