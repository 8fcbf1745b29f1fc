package maporder_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// The benchmarks below measure what maporder's fixes cost at run time, on
// the two shapes its fixes took on real code: a list returned from a map
// of members (serf's Members, fixed by ranging over sorted keys; a loop
// that only collects keys gets a sort after it instead) and a header
// built from a handful of entries (echo's Allow header).

type member struct {
	Name string
	Port int
}

func members(n int) map[string]*member {
	m := make(map[string]*member, n)
	for i := range n {
		name := fmt.Sprintf("node-%05d", i)
		m[name] = &member{Name: name, Port: 7946}
	}
	return m
}

var sinkMembers []member
var sinkNames []string
var sinkHeader string

// BenchmarkFixCostMembers: the list of a map's values, in map order (the
// code before), over sorted keys (the fix for a loop that reads values),
// and the keys collected then sorted (the fix for a loop that only
// collects).
func BenchmarkFixCostMembers(b *testing.B) {
	for _, n := range []int{10, 1000} {
		m := members(n)
		b.Run(fmt.Sprintf("n=%d/map-order", n), func(b *testing.B) {
			for b.Loop() {
				out := make([]member, 0, len(m))
				for _, v := range m {
					out = append(out, *v)
				}
				sinkMembers = out
			}
		})
		b.Run(fmt.Sprintf("n=%d/sorted-keys", n), func(b *testing.B) {
			for b.Loop() {
				out := make([]member, 0, len(m))
				for _, k := range slices.Sorted(maps.Keys(m)) {
					out = append(out, *m[k])
				}
				sinkMembers = out
			}
		})
		b.Run(fmt.Sprintf("n=%d/keys-map-order", n), func(b *testing.B) {
			for b.Loop() {
				out := make([]string, 0, len(m))
				for k := range m {
					out = append(out, k)
				}
				sinkNames = out
			}
		})
		b.Run(fmt.Sprintf("n=%d/keys-collect-then-sort", n), func(b *testing.B) {
			for b.Loop() {
				out := make([]string, 0, len(m))
				for k := range m {
					out = append(out, k)
				}
				slices.Sort(out)
				sinkNames = out
			}
		})
	}
}

// BenchmarkFixCostHeader: an Allow header with a few extra methods from a
// map, in map order and over sorted keys.
func BenchmarkFixCostHeader(b *testing.B) {
	other := map[string]bool{"PROPFIND": true, "MKCOL": true, "LOCK": true}
	b.Run("map-order", func(b *testing.B) {
		for b.Loop() {
			var buf strings.Builder
			buf.WriteString("GET, POST")
			for method := range other {
				buf.WriteString(", ")
				buf.WriteString(method)
			}
			sinkHeader = buf.String()
		}
	})
	b.Run("sorted-keys", func(b *testing.B) {
		for b.Loop() {
			var buf strings.Builder
			buf.WriteString("GET, POST")
			for _, method := range slices.Sorted(maps.Keys(other)) {
				buf.WriteString(", ")
				buf.WriteString(method)
			}
			sinkHeader = buf.String()
		}
	})
}
