package params

import (
	"slices"
	"sort"
	"strings"
)

// Route is aggregated per pattern: patterns are map keys.
type Route struct {
	Pattern string
	Hits    int
	Latency int
}

// Snapshot holds the routes.
type Snapshot struct {
	Routes []Route
}

// snapshot appends to a field of a local, from map keys.
func snapshot(routes map[string]int) Snapshot {
	snap := Snapshot{}
	for p, n := range routes {
		snap.Routes = append(snap.Routes, Route{Pattern: p, Hits: n})
	}
	slices.SortFunc(snap.Routes, func(a, b Route) int { return strings.Compare(a.Pattern, b.Pattern) })
	return snap
}

// File has the lines of one file.
type File struct {
	File  string
	Lines []int
	Kind  string
}

// files builds each element in a local from the map key.
func files(lines map[string][]int) []File {
	var out []File
	for name, ls := range lines {
		f := File{File: name, Lines: ls}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Type is a serialized type, stored under its object.
type Type struct {
	Key    string
	Codecs []string
	obj    *int
}

func key(p *int) string { return "" }

// types returns a map's values, stored with Key computed from the map key.
func types(objs []*int) []*Type {
	roots := map[*int]*Type{}
	for _, o := range objs {
		r := roots[o]
		if r == nil {
			r = &Type{Key: key(o), obj: o}
			roots[o] = r
		}
		r.Codecs = append(r.Codecs, "json")
	}
	out := make([]*Type, 0, len(roots))
	for _, r := range roots {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Type) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// merged deduplicates on Key while appending.
func merged(a, b []*Type) []*Type {
	var out []*Type
	byKey := map[string]*Type{}
	for _, r := range append(a, b...) {
		if _, ok := byKey[r.Key]; ok {
			continue
		}
		cp := *r
		byKey[r.Key] = &cp
		out = append(out, &cp)
	}
	slices.SortFunc(out, func(x, y *Type) int { return strings.Compare(x.Key, y.Key) })
	return out
}

// Alert is identified by its fingerprint.
type Alert struct {
	Fingerprint string
	Labels      map[string]string
	State       string
}

// alerts sorts by the identifying fingerprint.
func alerts(in []Alert) []Alert {
	out := slices.Clone(in)
	sort.Slice(out, func(i, j int) bool { return out[i].Fingerprint < out[j].Fingerprint })
	return out
}

// byKind is built from map values whose stores do not set the compared
// field from the key: kinds repeat.
func byKind(lines map[string][]int) []File {
	m := map[string]File{}
	for name, ls := range lines {
		m[name] = File{File: name, Lines: ls, Kind: "go"}
	}
	var out []File
	for _, f := range m {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind }) // want `compares only Kind`
	return out
}
