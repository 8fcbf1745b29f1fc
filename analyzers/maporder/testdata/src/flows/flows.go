// Package flows follows slices built in map order to where they end up.
package flows

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"sorthelp"
)

// Service is a registered backend.
type Service struct {
	name string
	tags []string
}

var defaultTags []string

// SetTags stores the tags in a field: they outlive the call.
func (s *Service) SetTags(tags map[string]bool) {
	var out []string
	for t := range tags { // want `map iteration order reaches s.tags, which outlives the function`
		out = append(out, t)
	}
	s.tags = out
}

// SetTagsSorted sorts the field after filling it.
func (s *Service) SetTagsSorted(tags map[string]bool) {
	s.tags = s.tags[:0]
	for t := range tags {
		s.tags = append(s.tags, t)
	}
	sort.Strings(s.tags)
}

// loadDefaults appends to a package variable.
func loadDefaults(m map[string]bool) {
	for t := range m { // want `defaultTags, which outlives the function`
		defaultTags = append(defaultTags, t)
	}
}

// cacheKey builds a key for a response cache.
func cacheKey(params map[string]string) string {
	var parts []string
	for k, v := range params { // want `parts joined by strings.Join`
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, "&")
}

// cacheKeySorted is the same key, stable.
func cacheKeySorted(params map[string]string) string {
	var parts []string
	for k, v := range params {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

type label struct{ Key, Value string }

// marshalLabels encodes labels as a JSON list.
func marshalLabels(labels map[string]string) ([]byte, error) {
	var ls []label
	for k, v := range labels { // want `ls encoded by json.Marshal`
		ls = append(ls, label{k, v})
	}
	return json.Marshal(ls)
}

// templateHash is the pod-template hash of an env map.
func templateHash(env map[string]string) [32]byte {
	var buf []byte
	for k, v := range env { // want `buf hashed by sha256.Sum256`
		buf = append(buf, k...)
		buf = append(buf, '=')
		buf = append(buf, v...)
	}
	return sha256.Sum256(buf)
}

// sameMembers compares element by element.
func sameMembers(a map[string]bool, want []string) bool {
	var got []string
	for k := range a { // want `got compared by reflect.DeepEqual`
		got = append(got, k)
	}
	return reflect.DeepEqual(got, want)
}

// publish hands the names to a function that keeps their order.
func publish(topics map[string]int) {
	var names []string
	for t := range topics { // want `names passed to flows.announce`
		names = append(names, t)
	}
	announce(names)
}

func announce(names []string) { fmt.Println(strings.Join(names, ",")) }

// normalize lower-cases and sorts in place: callers' slices end up sorted.
func normalize(names []string) { // want normalize:`sortsArg\[0\]`
	for i := range names {
		names[i] = strings.ToLower(names[i])
	}
	sort.Strings(names)
}

// sortedNames relies on a same-package helper to sort.
func sortedNames(m map[string]int) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	normalize(names)
	return names
}

// sortedViaImport relies on a helper from another package.
func sortedViaImport(m map[string]int) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	names = sorthelp.SortUnique(names)
	return names
}

// countViaImport hands the names to a helper that ignores order.
func countViaImport(m map[string]int) int {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	return sorthelp.CountDistinct(names)
}

// renderViaImport hands them to a helper that prints them in order.
func renderViaImport(m map[string]int) string {
	var names []string
	for k := range m { // want `names passed to sorthelp.Render`
		names = append(names, k)
	}
	return sorthelp.Render(names)
}

// Page is one page of a listing API.
type Page struct {
	Items []string
	Total int
}

// listPage returns the items inside a struct.
func listPage(m map[string]int) *Page {
	var items []string
	for k := range m { // want `the returned slice p.Items`
		items = append(items, k)
	}
	p := &Page{Items: items, Total: len(items)}
	return p
}

// dump ranges over the collected keys, which are still in map order.
func dump(w io.Writer, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m { // want `map iteration order reaches writes to w`
		keys = append(keys, k)
	}
	for _, k := range keys {
		fmt.Fprintf(w, "%s=%d\n", k, m[k])
	}
}

// dumpSorted sorts first.
func dumpSorted(w io.Writer, m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s=%d\n", k, m[k])
	}
}

// copied copies the keys into another slice that is returned.
func copied(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m { // want `the returned slice out`
		keys = append(keys, k)
	}
	out := make([]string, len(keys))
	copy(out, keys)
	return out
}

// feed sends keys to workers, which do not depend on order.
func feed(ch chan<- string, m map[string]int) {
	for k := range m {
		ch <- k
	}
}

// toSet collects the keys and then only puts them in a set.
func toSet(m map[string]int) map[string]bool {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	set := make(map[string]bool, len(ks))
	for _, k := range ks {
		set[k] = true
	}
	return set
}

// batch sends per-iteration slices over a channel after resetting them.
func sizes(m map[string][]byte) map[string]int {
	out := make(map[string]int, len(m))
	var scratch []byte
	for k, v := range m {
		scratch = scratch[:0]
		scratch = append(scratch, v...)
		out[k] = len(scratch)
	}
	return out
}

// appendTo sorts what it appended (the usual append-then-sort-the-tail idiom).
func appendTo(dst []string, m map[string]int) []string { // want appendTo:`sortsArg\[0\]`
	start := len(dst)
	for k := range m {
		dst = append(dst, k)
	}
	sort.Strings(dst[start:])
	return dst
}

// peers shuffles on purpose to spread load.
func peers(alive map[string]string, r interface{ Intn(int) int }) []string {
	out := make([]string, 0, len(alive))
	for name := range alive {
		out = append(out, name)
	}
	for i := range out {
		j := r.Intn(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// sortInPlace sorts through a pointer.
func sortInPlace(s *[]string) { // want sortInPlace:`sortsArg\[0\]`
	sort.Strings(*s)
}

// viaPointer hands the slice's address to the sorter.
func viaPointer(m map[string]int) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sortInPlace(&names)
	return names
}

// sortedCopy returns a sorted copy and leaves its argument alone.
func sortedCopy(s []string) []string { // want sortedCopy:`ignoresOrder\[0\]`
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// replaced swaps the slice for its sorted copy.
func replaced(m map[string]int) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	names = sortedCopy(names)
	return names
}

// keptOriginal sorts a copy but returns the original.
func keptOriginal(m map[string]int) ([]string, []string) {
	var names []string
	for k := range m { // want `the returned slice names`
		names = append(names, k)
	}
	sorted := sortedCopy(names)
	return names, sorted
}
