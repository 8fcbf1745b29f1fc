//go:build go1.21

package sortfix

import (
	"fmt"
	"io"
)

// Mid is on go1.21: the keys are collected and sorted with slices.Sort.
func Mid(w io.Writer, counts map[string]int) {
	// Print the counts.
	for name, n := range counts { // want `writes to w`
		fmt.Fprintf(w, "%s: %d\n", name, n)
	}
}

// Code is a named key type.
type Code int

// Codes has a named key type from this package.
func Codes(w io.Writer, m map[Code]string) {
outer:
	for c, text := range m { // want `writes to w`
		if text == "" {
			break outer
		}
		fmt.Fprintln(w, c, text)
	}
}
