// Package suppressed shows an accepted finding.
package suppressed

// Tags are shuffled on purpose: callers must not depend on their order.
func Tags(m map[string]bool) []string {
	var out []string
	//upshift:ignore maporder callers treat the result as a set
	for t := range m {
		out = append(out, t)
	}
	return out
}
