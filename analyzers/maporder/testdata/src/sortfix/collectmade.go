//go:build go1.23

package sortfix

// Counts collects into a made slice: an empty map gives an empty slice,
// not nil, so the slice is sorted after the loop instead.
func Counts(m map[int]string) []int {
	out := make([]int, 0, len(m))
	for k := range m { // want `the returned slice out`
		out = append(out, k)
	}
	return out
}
