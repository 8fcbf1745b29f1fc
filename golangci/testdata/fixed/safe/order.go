// Package svc has one hazard per upshift analyzer that needs no module
// outside the standard library. A "// want NAME" comment marks the line
// where golangci-lint must report analyzer NAME.
package svc

// names returns the keys in map order: maporder's fix (behavior tier) sorts
// them.
func names(m map[string]int) []string {
	var out []string
	for k := range m { // want maporder
		out = append(out, k)
	}
	return out
}
