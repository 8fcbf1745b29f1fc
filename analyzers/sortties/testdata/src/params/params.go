// Package params sorts slices it is handed, and hands its slices to
// sorters: whether ties matter is decided where the sorted order is
// observed.
package params

import (
	"fmt"
	"io"
	"slices"
	"sort"

	"sorter"
)

type Silence struct {
	ID      string
	State   string
	EndsAt  int64
	Comment string
}

// sortSilences leaves silences of one state and end time tied.
func sortSilences(sils []*Silence) {
	sort.Slice(sils, func(i, j int) bool { // want `sort.Slice compares only EndsAt, State, .* yet in the caller List, the sorted slice is returned inside the result: use SliceStable`
		if sils[i].State != sils[j].State {
			return sils[i].State < sils[j].State
		}
		return sils[i].EndsAt < sils[j].EndsAt
	})
}

// byState sorts through another helper.
func byState(sils []*Silence) {
	sortSilences(sils)
}

// OK is an API response built around the slice.
type OK struct {
	Payload []*Silence
}

// WithPayload sets the payload.
func (o *OK) WithPayload(p []*Silence) *OK {
	o.Payload = p
	return o
}

// List returns the silences sorted, inside the response.
func List(all map[string]*Silence) *OK {
	var sils []*Silence
	for _, s := range all {
		sils = append(sils, s)
	}
	byState(sils)
	return (&OK{}).WithPayload(sils)
}

// Expired only counts: the order is never observed.
func Expired(all []*Silence) int {
	sils := slices.Clone(all)
	sortSilences(sils)
	n := 0
	for _, s := range sils {
		if s.State == "expired" {
			n++
		}
	}
	return n
}

// Remote hands pods to another package's sorter and prints them.
func Remote(w io.Writer, pods []sorter.Pod) {
	ps := slices.Clone(pods)
	sorter.ByAge(ps) // want `sort.Slice in sorter.ByAge, comparing only Age leaves ties .* and a loop over the sorted slice prints or writes: make its comparison total or use the stable sort there`
	for _, p := range ps {
		fmt.Fprintln(w, p.Name)
	}
}

// Total hands pods to a sorter whose order is total.
func Total(pods []sorter.Pod) []sorter.Pod {
	ps := slices.Clone(pods)
	sorter.ByNodeAndName(ps)
	return ps
}

// Response is returned to a client.
type Response struct {
	Items []*Silence
}

// Wrapped returns the sorted slice in a composite literal.
func Wrapped(all []*Silence) Response {
	out := slices.Clone(all)
	sort.Slice(out, func(i, j int) bool { return out[i].EndsAt < out[j].EndsAt }) // want `compares only EndsAt, .* returned inside the result`
	return Response{Items: out}
}

// Print sorts its parameter and prints it: observed in the function.
func Print(w io.Writer, sils []*Silence) {
	sort.Slice(sils, func(i, j int) bool { return sils[i].EndsAt < sils[j].EndsAt }) // want `compares only EndsAt, .* a loop over the sorted slice prints or writes`
	for _, s := range sils {
		fmt.Fprintln(w, s.Comment)
	}
}
