//go:build go1.21

package expmaps

import "golang.org/x/exp/maps"

// Old is below go1.23: the standard Keys is an iterator there, no rewrite.
func Old(m map[string]bool) []string {
	return maps.Keys(m) // want `maps.Keys\(m\) from golang.org/x/exp/maps returns a slice`
}
