//go:build go1.23

// Package sortfix holds the loops and collections that the maporder
// rewrites sort; this file is on go1.23, so the rewrite uses
// slices.Sorted(maps.Keys(m)).
package sortfix

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// EnvVar is one variable of a container's environment.
type EnvVar struct {
	Name  string
	Value string
}

// BuildEnv is the incident: the env list of a pod template in map order.
func BuildEnv(env map[string]string) []EnvVar {
	var out []EnvVar
	// One entry per variable.
	for k, v := range env { // want `the returned slice out`
		out = append(out, EnvVar{Name: k, Value: v}) // keep the value as given
	}
	return out
}

// Labels writes the values only; the key gets a fresh name.
func Labels(w io.Writer, labels map[string]string) {
	for _, v := range labels { // want `writes to w`
		fmt.Fprintln(w, v)
	}
}

// Busy uses k already, so the new key is called key.
func Busy(w io.Writer, k string, labels map[string]int) {
	for _, n := range labels { // want `writes to w`
		fmt.Fprintln(w, k, n)
	}
}

// Server holds its routes.
type Server struct {
	name   string
	routes map[string]int
}

// Dump reads another field of the receiver: still rewritten.
func (s *Server) Dump(w io.Writer) {
	for path, n := range s.routes { // want `writes to w`
		fmt.Fprintf(w, "%s %s %d\n", s.name, path, n)
	}
}

// KeysSeq ranges over the key sequence.
func KeysSeq(w io.Writer, m map[int]bool) {
	for k := range maps.Keys(m) { // want `writes to w`
		fmt.Fprintln(w, k)
	}
}

// ValuesSeq ranges over the value sequence.
func ValuesSeq(m map[string]int) string {
	s := ""
	for v := range maps.Values(m) { // want `the string s built by concatenation`
		s += fmt.Sprint(v)
	}
	return s
}

// AllSeq ranges over the pairs.
func AllSeq(b *strings.Builder, m map[string]int) {
	for k, v := range maps.All(m) { // want `writes to b`
		fmt.Fprintf(b, "%s=%d;", k, v)
	}
}

// Collected returns the collected keys.
func Collected(m map[string]int) []string {
	return slices.Collect(maps.Keys(m)) // want `the returned slice slices.Collect`
}

// Appended appends the keys to a base list.
func Appended(base []string, m map[string]bool) []string {
	return slices.AppendSeq(base, maps.Keys(m)) // want `the returned slice`
}

// Pruned deletes while it walks: no rewrite.
func Pruned(w io.Writer, m map[string]int) {
	for k, v := range m { // want `writes to w`
		if v == 0 {
			delete(m, k)
			continue
		}
		fmt.Fprintln(w, k, v)
	}
}

// Point is a key with no order.
type Point struct{ X, Y int }

// Points has unordered keys: no rewrite.
func Points(w io.Writer, m map[Point]string) {
	for p, name := range m { // want `writes to w`
		fmt.Fprintln(w, p, name)
	}
}

func load() map[string]int { return nil }

// Called ranges over a call: the keys are sorted once.
func Called(w io.Writer) {
	for k := range load() { // want `writes to w`
		fmt.Fprintln(w, k)
	}
}

// CalledValues reads the values too: the map is held in a variable.
func CalledValues(w io.Writer) {
	// Every entry.
	for k, v := range load() { // want `writes to w`
		fmt.Fprintln(w, k, v)
	}
}

// Nested indexes a map of maps; deleting from the inner map stops the
// rewrite.
func Nested(w io.Writer, byPool map[string]map[string]int, pool string) {
	for k, v := range byPool[pool] { // want `writes to w`
		fmt.Fprintln(w, k, v)
	}
	for k := range byPool[pool] { // want `writes to w`
		fmt.Fprintln(w, k)
		delete(byPool[pool], k)
	}
}

// Handed passes the holder of the map on: no rewrite.
func (s *Server) Handed(w io.Writer) {
	for path := range s.routes { // want `writes to w`
		s.touch(path)
		fmt.Fprintln(w, path)
	}
}

func (s *Server) touch(path string) { s.routes[path]++ }

// Redeclared declares the value's name again in the body: no rewrite.
func Redeclared(w io.Writer, m map[string]int) {
	for k, v := range m { // want `writes to w`
		v := v * 2
		fmt.Fprintln(w, k, v)
	}
}
