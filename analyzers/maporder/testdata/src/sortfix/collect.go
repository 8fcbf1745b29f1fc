package sortfix

import (
	"strings"

	"golang.org/x/exp/maps"
	"k8s.io/apimachinery/pkg/util/sets"
)

// ExpKeys collects with golang.org/x/exp/maps: sorted where assigned.
func ExpKeys(m map[string]int) string {
	names := maps.Keys(m)           // want `names joined by strings.Join`
	return strings.Join(names, ",") // the names
}

// Legacy uses a typed set: its List() is sorted.
func Legacy(s sets.String) []string {
	return s.UnsortedList() // want `the returned slice`
}

// Generic uses the generic set: sets.List sorts.
func Generic(s sets.Set[string]) []string {
	return s.UnsortedList() // want `the returned slice`
}
