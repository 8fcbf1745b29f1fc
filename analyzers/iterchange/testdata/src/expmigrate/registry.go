// Package expmigrate is a plugin registry that still uses x/exp helpers.
package expmigrate

import (
	"encoding/json"
	"io"
	stdmaps "maps"
	stdslices "slices"
	"sort"
	"strings"

	maps "expmigrate/localmaps"

	xmaps "golang.org/x/exp/maps"
	"golang.org/x/exp/slices"
)

type Plugin struct {
	Name     string
	Priority int
	Tags     []string
}

type Registry struct {
	plugins map[string]*Plugin
	aliases map[string]string
}

// Names returns the registered plugin names, sorted.
func (r *Registry) Names() []string {
	names := xmaps.Keys(r.plugins) // want `xmaps.Keys\(r.plugins\) from golang.org/x/exp/maps returns a slice; the standard maps.Keys returns a lazy iter.Seq: migrate to slices.Sorted\(maps.Keys\(r.plugins\)\), which also replaces the sort.Strings call`
	sort.Strings(names)
	return names
}

// All returns the plugins in no particular order.
func (r *Registry) All() []*Plugin {
	return xmaps.Values(r.plugins) // want `xmaps.Values\(r.plugins\) from golang.org/x/exp/maps returns a slice; the standard maps.Values returns a lazy iter.Seq: migrate to slices.Collect\(maps.Values\(r.plugins\)\) \(or slices.Sorted\) to keep a slice`
}

// WriteAliases dumps the alias names as a JSON array for the admin page.
func (r *Registry) WriteAliases(w io.Writer) error {
	aliases := xmaps.Keys(r.aliases) // want `xmaps.Keys\(r.aliases\) .* the result reaches json.NewEncoder\(w\).Encode, and slices.Collect returns nil for an empty map where this returned \[\]: the JSON output becomes null where it was \[\], so keep it non-nil`
	return json.NewEncoder(w).Encode(aliases)
}

// ByPriority orders plugins with the old less-style comparator.
func ByPriority(ps []*Plugin) {
	slices.SortFunc(ps, func(a, b *Plugin) bool { return a.Priority < b.Priority }) // want `slices.SortFunc from golang.org/x/exp/slices takes a less func\(a, b T\) bool in the x/exp version in use; the standard slices.SortFunc \(and newer x/exp\) takes cmp func\(a, b T\) int`
}

// StableByName keeps registration order for equal names.
func StableByName(ps []*Plugin) {
	less := func(a, b *Plugin) bool { return a.Name < b.Name }
	slices.SortStableFunc(ps, less)     // want `slices.SortStableFunc from golang.org/x/exp/slices takes a less func`
	if !slices.IsSortedFunc(ps, less) { // want `slices.IsSortedFunc from golang.org/x/exp/slices takes a less func`
		panic("not sorted")
	}
}

// HasTag reports whether p carries tag.
func HasTag(p *Plugin, tag string) bool {
	return slices.Contains(p.Tags, tag) // want `slices.Contains from golang.org/x/exp/slices is in the standard library since go1.21: import "slices" instead`
}

// DropTag removes the first occurrence of tag.
func DropTag(p *Plugin, tag string) {
	if i := slices.Index(p.Tags, tag); i >= 0 { // want `slices.Index from golang.org/x/exp/slices is in the standard library`
		p.Tags = slices.Delete(p.Tags, i, i+1) // want `slices.Delete from golang.org/x/exp/slices is in the standard library since go1.21: import "slices" instead \(the standard version also zeroes the elements past the new length\)`
	}
}

// DedupTags collapses equal tags; CompactFunc's eq func is unchanged in std.
func DedupTags(p *Plugin) {
	p.Tags = slices.CompactFunc(p.Tags, strings.EqualFold) // want `slices.CompactFunc from golang.org/x/exp/slices is in the standard library`
}

// FindByName uses the three-way comparator BinarySearchFunc always had.
func FindByName(sorted []*Plugin, name string) *Plugin {
	i, ok := slices.BinarySearchFunc(sorted, name, func(p *Plugin, n string) int { return strings.Compare(p.Name, n) }) // want `slices.BinarySearchFunc from golang.org/x/exp/slices is in the standard library`
	if !ok {
		return nil
	}
	return sorted[i]
}

// Snapshot copies the registry maps.
func (r *Registry) Snapshot() *Registry {
	cp := &Registry{
		plugins: xmaps.Clone(r.plugins), // want `xmaps.Clone from golang.org/x/exp/maps is in the standard library since go1.21: use the standard maps.Clone`
		aliases: map[string]string{},
	}
	xmaps.Copy(cp.aliases, r.aliases) // want `xmaps.Copy from golang.org/x/exp/maps is in the standard library`
	return cp
}

// Reset empties the registry.
func (r *Registry) Reset() {
	xmaps.Clear(r.aliases) // want `xmaps.Clear from golang.org/x/exp/maps is in the standard library since go1.21: use the builtin clear\(m\)`
}

// Negative: already migrated to the standard library.
func (r *Registry) SortedNames() []string {
	return stdslices.Sorted(stdmaps.Keys(r.plugins))
}

// Negative: std SortFunc with a cmp function.
func ByPriorityStd(ps []*Plugin) {
	stdslices.SortFunc(ps, func(a, b *Plugin) int { return a.Priority - b.Priority })
}

// Negative: a project-local package named maps is not x/exp.
func Counters(m map[string]int) []string {
	return maps.Keys(m)
}

// Negative: ranging over the std iterator directly.
func (r *Registry) Count() int {
	n := 0
	for range stdmaps.Keys(r.plugins) {
		n++
	}
	return n
}

// Suppressed: the team keeps x/exp here until the Go 1.23 bump.
func (r *Registry) Legacy() []string {
	//upshift:ignore iterchange kept until the go1.23 bump, tracked in PLAT-123
	return xmaps.Keys(r.aliases)
}
