package fix

import (
	"fmt"
	"slices"
	"sort"
)

type Row struct {
	Group string
	Value int
}

func Report(rows []Row) string {
	out := slices.Clone(rows)
	// by group only
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group }) // want `sort.Slice compares only Group`
	return fmt.Sprint(out)
}

func Ranked(rows []Row) []Row {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b Row) int { return b.Value - a.Value }) // want `slices.SortFunc compares only Value`
	return out
}

// byValue sorts its parameter; Top returns the order: the fix is here.
func byValue(rows []Row) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].Value < rows[j].Value }) // want `sort.Slice compares only Value, .* in the caller Top, the sorted slice is returned`
}

func Top(rows []Row) []Row {
	out := slices.Clone(rows)
	byValue(out)
	return out
}
