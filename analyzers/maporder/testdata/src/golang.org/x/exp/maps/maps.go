// Package maps is a stub of the slice-returning golang.org/x/exp/maps.
package maps

// Keys returns the keys of m in iteration order.
func Keys[M ~map[K]V, K comparable, V any](m M) []K {
	r := make([]K, 0, len(m))
	for k := range m {
		r = append(r, k)
	}
	return r
}
