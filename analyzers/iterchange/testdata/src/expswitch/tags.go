// Package expswitch moves from golang.org/x/exp/slices to the standard
// package one file at a time.
package expswitch

import (
	"fmt"

	"golang.org/x/exp/slices" // vendored helpers, before go1.21
)

// HasTag reports whether tags contains tag.
func HasTag(tags []string, tag string) bool {
	return slices.Contains(tags, tag) // want `slices.Contains from golang.org/x/exp/slices is in the standard library since go1.21: import "slices" instead`
}

// Describe sorts a copy of the tags for display.
func Describe(tags []string) string {
	sorted := append([]string(nil), tags...)
	slices.Sort(sorted) // want `slices.Sort from golang.org/x/exp/slices is in the standard library`
	return fmt.Sprint(sorted)
}
