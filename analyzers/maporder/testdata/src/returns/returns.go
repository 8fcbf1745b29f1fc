// Package returns holds service code that hands out slices built from maps.
package returns

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// EnvVar is one variable of a container's environment.
type EnvVar struct {
	Name  string
	Value string
}

// stacklok/toolhive#5063: the env list of a pod template built straight from
// a map. Its order changes the template hash and the workload rolls forever.
func buildEnv(env map[string]string) []EnvVar {
	var out []EnvVar
	for k, v := range env { // want `map iteration order reaches the returned slice out: the result differs between runs; sort out before it leaves the function`
		out = append(out, EnvVar{Name: k, Value: v})
	}
	return out
}

// The fix from the incident: collect, sort, then build.
func buildEnvSorted(env map[string]string) []EnvVar {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]EnvVar, 0, len(keys))
	for _, k := range keys {
		out = append(out, EnvVar{Name: k, Value: env[k]})
	}
	return out
}

// Collect the structs, then sort them by name.
func buildEnvSortSlice(env map[string]string) []EnvVar {
	out := make([]EnvVar, 0, len(env))
	for k, v := range env {
		out = append(out, EnvVar{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Registry maps handler names to handlers.
type Registry struct {
	handlers map[string]func()
}

// Names lists the registered handlers.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.handlers))
	for name := range r.handlers { // want `the returned slice names`
		names = append(names, name)
	}
	return names
}

// NamesIndexed fills a pre-sized slice by position.
func (r *Registry) NamesIndexed() []string {
	names := make([]string, len(r.handlers))
	i := 0
	for name := range r.handlers { // want `the returned slice names`
		names[i] = name
		i++
	}
	return names
}

// namesBare returns through a named result.
func (r *Registry) namesBare() (names []string) {
	for name := range r.handlers { // want `the returned slice names`
		names = append(names, name)
	}
	return
}

// SortedNames sorts with slices.Sort before returning.
func (r *Registry) SortedNames() []string {
	var names []string
	for name := range r.handlers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// FieldError is one validation failure.
type FieldError struct {
	Field  string
	Reason string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Reason }

// MultiError is every validation failure of a message.
type MultiError []error

func (m MultiError) Error() string {
	msgs := make([]string, len(m))
	for i, e := range m {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Settings is a validated config message.
type Settings struct {
	Limits map[string]int
}

// ValidateAll is the envoyproxy/protoc-gen-validate#518 shape: errors over a
// map field come back in a different order on each call.
func (s *Settings) ValidateAll() error {
	var errs []error
	for key, val := range s.Limits { // want `the returned slice errs`
		if val < 0 {
			errs = append(errs, FieldError{Field: "limits[" + key + "]", Reason: "must not be negative"})
		}
	}
	if len(errs) > 0 {
		return MultiError(errs)
	}
	return nil
}

// Validate joins the errors with errors.Join, which keeps their order.
func (s *Settings) Validate() error {
	var errs []error
	for key, val := range s.Limits { // want `errs passed to errors.Join`
		if val > 1000 {
			errs = append(errs, fmt.Errorf("limit %s too high: %d", key, val))
		}
	}
	return errors.Join(errs...)
}

// FirstOver returns on the first match: no ordered output is built.
func (s *Settings) FirstOver(limit int) (string, bool) {
	for key, val := range s.Limits {
		if val > limit {
			return key, true
		}
	}
	return "", false
}

// userID looks up a unique name.
func userID(users map[int]string, want string) int {
	for id, name := range users {
		if name == want {
			return id
		}
	}
	return -1
}

// total is a commutative reduction.
func total(stock map[string]int) (n int, maxQty int) {
	for _, qty := range stock {
		n += qty
		maxQty = max(maxQty, qty)
	}
	return n, maxQty
}

// invert copies into another map.
func invert(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// doubled appends only to a slice that lives for one iteration.
func doubled(m map[string][]int) map[string][]int {
	out := make(map[string][]int, len(m))
	for k, vs := range m {
		var d []int
		for _, v := range vs {
			d = append(d, 2*v)
		}
		out[k] = d
	}
	return out
}

// groupByOwner appends into map entries, then sorts every group.
func groupByOwner(owners map[string]string) map[string][]string {
	groups := make(map[string][]string)
	for repo, owner := range owners {
		groups[owner] = append(groups[owner], repo)
	}
	for _, g := range groups {
		sort.Strings(g)
	}
	return groups
}

// anyAdmin keeps a single element and stops.
func anyAdmin(roles map[string]string) []string {
	var out []string
	for user, role := range roles {
		if role == "admin" {
			out = append(out, user)
			break
		}
	}
	return out
}

// columns places each value at the position its key maps to.
func columns(index map[string]int, row map[string]string) []string {
	out := make([]string, len(index))
	for name, i := range index {
		out[i] = row[name]
	}
	return out
}

// countBig only counts what it collected.
func countBig(m map[string]int) int {
	var big []string
	for k, v := range m {
		if v > 10 {
			big = append(big, k)
		}
	}
	return len(big)
}

// pick reads single elements of the collected keys.
func pick(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	if len(ks) == 1 {
		return ks[0]
	}
	return ""
}

// sortReverse sorts through sort.Sort(sort.Reverse(...)).
func sortReverse(m map[int]bool) []int {
	var ids []int
	for id := range m {
		ids = append(ids, id)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ids)))
	return ids
}

// byName sorts EnvVars by name.
type byName []EnvVar

func (b byName) Len() int           { return len(b) }
func (b byName) Less(i, j int) bool { return b[i].Name < b[j].Name }
func (b byName) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// sortByType sorts through a named slice type.
func sortByType(env map[string]string) []EnvVar {
	var out []EnvVar
	for k, v := range env {
		out = append(out, EnvVar{k, v})
	}
	sort.Sort(byName(out))
	return out
}

// single loops under a check that the map has one entry.
func single(m map[string]string) []string {
	if len(m) == 1 {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		return out
	}
	return nil
}

// UnsortedNames says in its name that the order is unspecified.
func (r *Registry) UnsortedNames() []string {
	names := make([]string, 0, len(r.handlers))
	for name := range r.handlers {
		names = append(names, name)
	}
	return names
}
