// Package sevtest supports tests: what it builds ends up in fixtures and
// failure messages, so its findings are low.
package sevtest

// Names lists the keys for a fixture.
func Names(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
