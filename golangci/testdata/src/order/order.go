package order

// names returns the keys in map order: maporder's fix is behavior-tier.
func names(m map[string]int) []string {
	var out []string
	for k := range m { // want `map iteration order reaches the returned slice out`
		out = append(out, k)
	}
	return out
}
