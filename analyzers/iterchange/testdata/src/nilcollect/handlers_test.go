package nilcollect

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestServiceNamesEmpty(t *testing.T) {
	p := &Project{Services: map[string]*Service{}}
	got := slices.Sorted(maps.Keys(p.Services)) // want `slices.Sorted returns nil .* reaches reflect.DeepEqual: the comparison with \[\]string\{\} fails for an empty result where the old empty slice matched`
	if !reflect.DeepEqual(got, []string{}) {
		t.Fatalf("got %v", got)
	}
}

func TestNetworksEmpty(t *testing.T) {
	p := &Project{Networks: map[string]string{}}
	want := []string{}
	assert.Equal(t, want, slices.Collect(maps.Values(p.Networks))) // want `slices.Collect returns nil .* reaches assert.Equal: the comparison with \[\]string\{\} fails`
}

// The formatted variant compares the same way.
func TestNetworksEmptyf(t *testing.T) {
	p := &Project{Networks: map[string]string{}}
	assert.Equalf(t, []string{}, slices.Collect(maps.Values(p.Networks)), "networks of %v", p) // want `slices.Collect returns nil .* reaches assert.Equalf: the comparison with \[\]string\{\} fails`
}

func TestProfilesMethod(t *testing.T) {
	a := assert.New(t)
	s := &Service{Profiles: map[string]bool{}}
	a.Equal(make([]string, 0), slices.Sorted(maps.Keys(s.Profiles))) // want `slices.Sorted returns nil .* reaches assert.Equal: the comparison with make\(\[\]string, 0\) fails`
}

// Negatives: comparisons that do not distinguish nil from empty.

func TestNilExpected(t *testing.T) {
	p := &Project{}
	if got := slices.Collect(maps.Keys(p.Services)); !reflect.DeepEqual(got, []string(nil)) {
		t.Fatal(got)
	}
}

func TestElements(t *testing.T) {
	p := &Project{Services: map[string]*Service{"web": {}}}
	assert.ElementsMatch(t, []string{}, slices.Collect(maps.Keys(p.Services)))
	assert.Equal(t, []string{"web"}, slices.Collect(maps.Keys(p.Services)))
	assert.Empty(t, slices.Collect(maps.Keys(map[string]int{})))
}

func TestLenCheck(t *testing.T) {
	p := &Project{}
	got := slices.Collect(maps.Keys(p.Services))
	if len(got) != 0 {
		t.Fatal(got)
	}
	assert.Equal(t, []string{}, got)
}
