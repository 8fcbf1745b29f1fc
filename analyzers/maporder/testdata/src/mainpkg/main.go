// Command mainpkg: an exported function of package main is no API, so its
// result is judged by its callers, as an unexported one is.
package main

import (
	"fmt"
	"sort"
)

// Names is only called below, where it is sorted.
func Names(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Listing is printed as it comes: program output, medium.
func Listing(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out: .* \[medium\]`
		out = append(out, k)
	}
	return out
}

func main() {
	m := map[string]int{"a": 1, "b": 2}
	names := Names(m)
	sort.Strings(names)
	fmt.Println(names)
	fmt.Println(Listing(m))
}
