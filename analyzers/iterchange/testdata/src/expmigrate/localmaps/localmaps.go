// Package localmaps is a project-local helper package that happens to be
// called maps, a look-alike of x/exp/maps.
package localmaps

// Keys returns the keys of m; it is not x/exp and has no std counterpart.
func Keys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
