package sortfix

import (
	"errors"
	"strconv"
	"strings"
)

// Names collects the keys into a nil slice: slices.Sorted(maps.Keys(m)).
func Names(m map[string]int) []string {
	var names []string
	for k := range m { // want `the returned slice names: .*; the fix costs a sort of names on every call \[high\]`
		names = append(names, k)
	}
	return names
}

// Positive collects some entries into a fresh slice: sorted once after
// the loop, cheaper than ranging over sorted keys.
func Positive(m map[string]int) string {
	out := make([]string, 0, len(m))
	for k, v := range m { // want `out joined by strings.Join: .*; the fix costs a sort of out on every call \[medium\]`
		if v > 0 {
			out = append(out, k+"="+strconv.Itoa(v))
		}
	}
	return strings.Join(out, ",")
}

// Limited reads the slice inside the loop: which entries it keeps
// depends on the order, so the keys are sorted instead.
func Limited(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out`
		if len(out) == 3 {
			break
		}
		out = append(out, k)
	}
	return out
}

// Failed builds an error on the failure path only: no cost named.
func Failed(m map[string]error, err error) error {
	if err != nil {
		var msgs []string
		for k, e := range m { // want `msgs joined by strings.Join: [^;]*; sort msgs first \[high\]`
			msgs = append(msgs, k+": "+e.Error())
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// Grouped appends a header and its items per entry: sorting the elements
// would break the groups, so the keys are sorted instead.
func Grouped(m map[string][]string) []string {
	var lines []string
	for name, items := range m { // want `the returned slice lines`
		lines = append(lines, "["+name+"]")
		for _, it := range items {
			lines = append(lines, it)
		}
	}
	return lines
}
