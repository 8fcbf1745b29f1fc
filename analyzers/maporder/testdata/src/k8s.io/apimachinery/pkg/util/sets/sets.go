// Package sets is a stub of the Kubernetes sets package for the tests.
package sets

import "sort"

// String is a set of strings.
type String map[string]struct{}

// NewString returns a set holding items.
func NewString(items ...string) String { // want NewString:`ignoresOrder\[0\]`
	s := String{}
	for _, it := range items {
		s[it] = struct{}{}
	}
	return s
}

// List returns the items sorted.
func (s String) List() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// UnsortedList returns the items in map order.
func (s String) UnsortedList() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	return out
}
