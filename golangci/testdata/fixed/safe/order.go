// Package svc has one hazard per upshift analyzer that needs no module
// outside the standard library. A "// want NAME" comment marks the line
// where golangci-lint must report analyzer NAME.
package svc

import "sort"

// names returns the keys in map order: maporder's fix (safe tier) sorts
// them.
func names(m map[string]int) []string {
	var out []string
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys { // want maporder
		out = append(out, k)
	}
	return out
}
