package flows

import (
	"log"
	"sort"
)

// Sorts count only on the paths they are on (control flow, not source
// order).

// sortedInOneBranch sorts only when asked: the other path returns map order.
func sortedInOneBranch(m map[string]int, sorted bool) []string {
	var out []string
	for k := range m { // want `map iteration order reaches the returned slice out`
		out = append(out, k)
	}
	if sorted {
		sort.Strings(out)
	}
	return out
}

// sortedInBothBranches sorts on every path.
func sortedInBothBranches(m map[string]int, desc bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	if desc {
		sort.Sort(sort.Reverse(sort.StringSlice(out)))
	} else {
		sort.Strings(out)
	}
	return out
}

// earlyReturn leaves before the sort when the result is long.
func earlyReturn(m map[string]int, n int) []string {
	var out []string
	for k := range m { // want `map iteration order reaches the returned slice out`
		out = append(out, k)
	}
	if len(out) > n {
		return out
	}
	sort.Strings(out)
	return out
}

// sortOrFail: the path that skips the sort stops the program.
func sortOrFail(m map[string]int, ok bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	if ok {
		sort.Strings(out)
	} else {
		log.Fatal("unsorted input")
	}
	return out
}

// maybeSort sorts on one path only, and shows the order on none: handing
// it a slice neither sorts it nor shows its order.
func maybeSort(s []string, yes bool) { // want maybeSort:`ignoresOrder\[0\]`
	if yes {
		sort.Strings(s)
	}
}

// callsMaybeSort returns map order whenever maybeSort does not sort.
func callsMaybeSort(m map[string]int) []string {
	var out []string
	for k := range m { // want `map iteration order reaches the returned slice out`
		out = append(out, k)
	}
	maybeSort(out, len(out) > 3)
	return out
}

// shortFirst returns a slice too short to have an order before sorting
// the rest: no path shows map order.
func shortFirst(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	if len(out) < 2 {
		return out
	}
	sort.Strings(out)
	return out
}

// sortWhenLong sorts only slices that can have an order.
func sortWhenLong(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	if len(out) > 1 {
		sort.Strings(out)
	}
	return out
}

// guardTooWeak: three elements still have an order.
func guardTooWeak(m map[string]int) []string {
	var out []string
	for k := range m { // want `map iteration order reaches the returned slice out`
		out = append(out, k)
	}
	if len(out) > 3 {
		sort.Strings(out)
	}
	return out
}
