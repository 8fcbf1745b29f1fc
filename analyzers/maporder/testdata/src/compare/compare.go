// Package compare holds test helpers that compare collected keys.
package compare

import (
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"k8s.io/apimachinery/pkg/util/sets"
)

// checkKeys is a flaky assertion: got comes out in map order.
func checkKeys(t *testing.T, m map[string]int, want []string) {
	var got []string
	for k := range m { // want `got compared by assert.Equal`
		got = append(got, k)
	}
	assert.Equal(t, want, got)
}

// checkKeysAnyOrder compares as multisets.
func checkKeysAnyOrder(t *testing.T, m map[string]int, want []string) { // want checkKeysAnyOrder:`ignoresOrder\[2\]`
	var got []string
	for k := range m {
		got = append(got, k)
	}
	assert.ElementsMatch(t, want, got)
	assert.Len(t, got, len(want))
}

// checkKeysSorted sorts before comparing.
func checkKeysSorted(t *testing.T, m map[string]int, want []string) {
	var got []string
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// checkLogged prints the keys in a failure message: low, below the
// default severity (lowsev has the same case at -maporder.min=low).
func checkLogged(t *testing.T, m map[string]int) {
	var got []string
	for k := range m {
		got = append(got, k)
	}
	if len(got) > 3 {
		t.Errorf("too many keys: %v", got)
	}
}

// members returns a Kubernetes set's items unsorted.
func members(s sets.String) []string {
	return s.UnsortedList() // want `the returned slice s.UnsortedList\(\)`
}

// membersSorted uses the sorted accessor.
func membersSorted(s sets.String) []string {
	return s.List()
}

// unsortedThenSet puts the unsorted items back into a set.
func unsortedThenSet(s sets.String) sets.String {
	return sets.NewString(s.UnsortedList()...)
}

// fieldNames lists a map's keys through reflection.
func fieldNames(v any) []string {
	var names []string
	for _, k := range reflect.ValueOf(v).MapKeys() { // want `the returned slice names`
		names = append(names, k.String())
	}
	return names
}

// captured fills a slice from a closure and returns it.
func captured(m map[string]int) []string {
	var out []string
	collect := func() {
		for k := range m { // want `the returned slice out`
			out = append(out, k)
		}
	}
	collect()
	return out
}

// equalSets compares as sets.
func equalSets(a, b map[string]bool) bool {
	var ka, kb []string
	for k := range a {
		ka = append(ka, k)
	}
	for k := range b {
		kb = append(kb, k)
	}
	return reflect.DeepEqual(sets.NewString(ka...), sets.NewString(kb...))
}
