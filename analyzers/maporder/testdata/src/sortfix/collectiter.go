//go:build go1.23

package sortfix

// Tags collects the keys into a nil slice on go1.23: the declaration and
// the loop become slices.Sorted(maps.Keys(m)).
func Tags(m map[string]bool) []string {
	// tags are the names in use.
	var tags []string
	for k := range m { // want `the returned slice tags: .*; the fix costs a sort of tags on every call \[high\]`
		tags = append(tags, k)
	}
	return tags
}
