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
