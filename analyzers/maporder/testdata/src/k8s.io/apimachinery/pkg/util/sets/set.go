package sets

import "cmp"

// Set is the generic set.
type Set[T comparable] map[T]struct{}

// UnsortedList returns the items in map order.
func (s Set[T]) UnsortedList() []T {
	out := make([]T, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	return out
}

// List returns the items of s sorted.
func List[T cmp.Ordered](s Set[T]) []T {
	out := make([]T, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
