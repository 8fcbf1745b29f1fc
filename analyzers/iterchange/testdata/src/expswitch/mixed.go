package expswitch

import (
	xslices "golang.org/x/exp/slices"
)

// Ordered sorts with a less function: the comparator must change first.
func Ordered(xs []int) []int {
	xslices.SortFunc(xs, func(a, b int) bool { return a < b }) // want `xslices.SortFunc from golang.org/x/exp/slices takes a less func`
	if xslices.Contains(xs, 0) {                               // want `xslices.Contains from golang.org/x/exp/slices is in the standard library`
		return nil
	}
	return xs
}
