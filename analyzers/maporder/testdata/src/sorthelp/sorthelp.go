// Package sorthelp holds helpers that other packages hand slices to; the
// analyzer learns what each does with the order through facts.
package sorthelp

import (
	"fmt"
	"sort"
	"strings"
)

// SortUnique sorts names in place and drops duplicates.
func SortUnique(names []string) []string { // want SortUnique:`sortsArg\[0\]`
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return out
}

// CountDistinct only puts the names in a set.
func CountDistinct(names []string) int { // want CountDistinct:`ignoresOrder\[0\]`
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		seen[strings.ToLower(n)] = true
	}
	return len(seen)
}

// Render prints the names in the order given.
func Render(names []string) string {
	var b strings.Builder
	for i, n := range names {
		fmt.Fprintf(&b, "%d. %s\n", i+1, n)
	}
	return b.String()
}
