// Package slices is a stub of golang.org/x/exp/slices from before it
// switched its comparators from less func(a, b E) bool to cmp func(a, b E) int.
package slices

import "sort"

func Contains[E comparable](s []E, v E) bool { return Index(s, v) >= 0 }

func Index[E comparable](s []E, v E) int {
	for i := range s {
		if v == s[i] {
			return i
		}
	}
	return -1
}

func Insert[S ~[]E, E any](s S, i int, v ...E) S { return append(s[:i], append(v, s[i:]...)...) }

func Delete[S ~[]E, E any](s S, i, j int) S { return append(s[:i], s[j:]...) }

func Compact[S ~[]E, E comparable](s S) S { return s }

func CompactFunc[S ~[]E, E any](s S, eq func(E, E) bool) S { return s }

func Sort[E ~int | ~string | ~float64](x []E) {}

// SortFunc sorts x in ascending order as determined by the less function.
func SortFunc[E any](x []E, less func(a, b E) bool) {
	sort.Slice(x, func(i, j int) bool { return less(x[i], x[j]) })
}

// SortStableFunc sorts x keeping equal elements in order, using less.
func SortStableFunc[E any](x []E, less func(a, b E) bool) {
	sort.SliceStable(x, func(i, j int) bool { return less(x[i], x[j]) })
}

func IsSortedFunc[E any](x []E, less func(a, b E) bool) bool { return true }

// BinarySearchFunc always took a three-way comparison.
func BinarySearchFunc[E, T any](x []E, target T, cmp func(E, T) int) (int, bool) { return 0, false }

func BinarySearch[E ~int | ~string](x []E, target E) (int, bool) { return 0, false }
