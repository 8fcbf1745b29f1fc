//go:build go1.23

// Package expmaps moves from golang.org/x/exp/maps to the standard maps
// package; the results keep their types and values.
package expmaps

import (
	"sort"

	"golang.org/x/exp/maps" // the old helpers
)

// Registry holds handlers by name.
type Registry struct {
	handlers map[string]func()
	weights  map[string]int
}

// Names returns the sorted names.
func (r *Registry) Names() []string {
	names := maps.Keys(r.handlers) // want `maps.Keys\(r.handlers\) from golang.org/x/exp/maps returns a slice`
	sort.Strings(names)
	return names
}

// Weights returns the weights of a copy of the table.
func (r *Registry) Weights() []int {
	return maps.Values(maps.Clone(r.weights)) // want `maps.Values\(maps.Clone\(r.weights\)\) from golang.org/x/exp/maps returns a slice` `maps.Clone from golang.org/x/exp/maps is in the standard library`
}

// Reset empties the table.
func (r *Registry) Reset() {
	maps.Clear(r.weights) // want `maps.Clear from golang.org/x/exp/maps is in the standard library since go1.21: use the builtin clear\(m\)`
}
