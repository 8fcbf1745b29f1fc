package deps

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

//go:embed migrations.json
var tableJSON []byte

// Migration is one curated move of a dependency: a module to a later major
// version, another module or the standard library. Every fact in it cites
// the public source it comes from.
type Migration struct {
	// ID names the entry, e.g. "yaml-v2-v3".
	ID string `json:"id"`
	// From is the module path being moved away from.
	From string `json:"from"`
	// To is the module path (or standard library package) moved to.
	To string `json:"to"`
	// Packages maps old package paths to their new ones where they do not
	// follow from the module paths (a package moved, or a std target).
	Packages map[string]string `json:"packages,omitempty"`
	// Summary says in one line what the move changes.
	Summary string `json:"summary"`
	// Sources are the addresses the summary rests on.
	Sources []string `json:"sources"`
	// Renames says how each old function is rewritten by `upshift fix
	// -move`, keyed by its name in the old package.
	Renames map[string]Rename `json:"renames,omitempty"`
	// Hazards are the call sites whose meaning changes, or which cannot be
	// moved mechanically.
	Hazards []Hazard `json:"hazards"`
}

// Rename is the mechanical rewrite of one old function.
type Rename struct {
	// Kind is "call" (the call keeps its arguments and calls To), "wrap"
	// (f(err, msg) becomes a nil-keeping fmt.Errorf("msg: %w", err)),
	// "wrapf" (f(err, format, args...) likewise) or "identity" (f(err)
	// becomes err).
	Kind string `json:"kind"`
	// To is the qualified replacement of a "call": "errors.New".
	To string `json:"to,omitempty"`
}

// UnlessNonNil is the Hazard.Unless of sites whose first argument is a
// known non-nil error.
const UnlessNonNil = "nonnil-guard"

// The rename kinds.
const (
	RenameCall     = "call"
	RenameWrap     = "wrap"
	RenameWrapf    = "wrapf"
	RenameIdentity = "identity"
)

// Hazard is a known semantic change of the move, found at its call sites.
type Hazard struct {
	// Rule is the stable rule ID of the finding, e.g. "DEP101".
	Rule string `json:"rule"`
	// Name is a short slug.
	Name string `json:"name"`
	// Package is the old package whose Symbols are meant.
	Package string `json:"package,omitempty"`
	// Symbols are the uses that are affected: "F", "T", "T.Method".
	Symbols []string `json:"symbols,omitempty"`
	// Assert lists types whose type assertions and type-switch cases are
	// affected in packages that import the old module.
	Assert []string `json:"assert,omitempty"`
	// Message says what changes.
	Message string `json:"message"`
	// Replacement says what to write instead.
	Replacement string `json:"replacement"`
	// Source is the address of the fact.
	Source string `json:"source"`
	// Unless names a condition under which a site is not affected:
	// "nonnil-guard" skips calls whose first argument is known to be
	// non-nil there (see NonNilGuarded).
	Unless string `json:"unless,omitempty"`
	// Manual is true when `upshift fix -move` cannot move a file that has
	// such a use: a person must rewrite it first.
	Manual bool `json:"manual,omitempty"`
}

// Table returns the curated migrations. It panics if the embedded table is
// malformed, which its tests rule out.
func Table() []Migration {
	var t struct {
		Migrations []Migration `json:"migrations"`
	}
	if err := json.Unmarshal(tableJSON, &t); err != nil {
		panic(fmt.Sprintf("deps: migrations.json: %v", err))
	}
	return t.Migrations
}

// Find returns the table entry moving from to to, or nil.
func Find(from, to string) *Migration {
	for _, m := range Table() {
		if m.From == from && m.To == to {
			return &m
		}
	}
	return nil
}

// FindFrom returns the table entries moving away from module from.
func FindFrom(from string) []Migration {
	var out []Migration
	for _, m := range Table() {
		if m.From == from {
			out = append(out, m)
		}
	}
	return out
}

// NewPackage maps an old package path to its new path under m: the
// entry's explicit mapping, else the same path below the new module. It
// returns "" when a std target has no counterpart for the package.
func (m *Migration) NewPackage(old string) string {
	return mapPackage(m.From, m.To, m.Packages, old)
}

func mapPackage(from, to string, explicit map[string]string, old string) string {
	if p, ok := explicit[old]; ok {
		return p
	}
	if old == from {
		return to
	}
	if rest, ok := strings.CutPrefix(old, from+"/"); ok && !IsStd(to) {
		return to + "/" + rest
	}
	return ""
}

// IsStd reports whether path names a standard library package: its first
// element has no dot.
func IsStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// Validate checks the table: IDs, rule IDs and sources. Every fact needs
// an http(s) source; rule IDs are unique and of the form DEPnnn.
func Validate(table []Migration) error {
	var problems []string
	seenRule := map[string]bool{}
	seenID := map[string]bool{}
	for _, m := range table {
		if m.ID == "" || seenID[m.ID] {
			problems = append(problems, fmt.Sprintf("entry %q: missing or duplicate id", m.ID))
		}
		seenID[m.ID] = true
		if m.From == "" || m.To == "" || m.Summary == "" {
			problems = append(problems, fmt.Sprintf("%s: from, to and summary are required", m.ID))
		}
		if len(m.Sources) == 0 {
			problems = append(problems, fmt.Sprintf("%s: no source", m.ID))
		}
		for _, s := range m.Sources {
			if !isURL(s) {
				problems = append(problems, fmt.Sprintf("%s: source %q is not an http(s) address", m.ID, s))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(m.Renames)) {
			r := m.Renames[name]
			if !slices.Contains([]string{RenameCall, RenameWrap, RenameWrapf, RenameIdentity}, r.Kind) {
				problems = append(problems, fmt.Sprintf("%s: rename %s: unknown kind %q", m.ID, name, r.Kind))
			}
			if r.Kind == RenameCall && !strings.Contains(r.To, ".") {
				problems = append(problems, fmt.Sprintf("%s: rename %s: call needs a qualified target", m.ID, name))
			}
		}
		for _, h := range m.Hazards {
			if len(h.Rule) != 6 || !strings.HasPrefix(h.Rule, "DEP") || seenRule[h.Rule] {
				problems = append(problems, fmt.Sprintf("%s: hazard %q: rule ID must be a unique DEPnnn", m.ID, h.Rule))
			}
			seenRule[h.Rule] = true
			if !isURL(h.Source) {
				problems = append(problems, fmt.Sprintf("%s: hazard %s: source %q is not an http(s) address", m.ID, h.Rule, h.Source))
			}
			if h.Message == "" || h.Replacement == "" || h.Name == "" {
				problems = append(problems, fmt.Sprintf("%s: hazard %s: name, message and replacement are required", m.ID, h.Rule))
			}
			if len(h.Symbols) > 0 && h.Package == "" {
				problems = append(problems, fmt.Sprintf("%s: hazard %s: symbols need a package", m.ID, h.Rule))
			}
			if len(h.Symbols) == 0 && len(h.Assert) == 0 {
				problems = append(problems, fmt.Sprintf("%s: hazard %s: matches nothing (no symbols, no assert)", m.ID, h.Rule))
			}
			if h.Unless != "" && h.Unless != UnlessNonNil {
				problems = append(problems, fmt.Sprintf("%s: hazard %s: unknown unless %q", m.ID, h.Rule, h.Unless))
			}
			for _, a := range h.Assert {
				if _, ok := assertTypes[a]; !ok {
					problems = append(problems, fmt.Sprintf("%s: hazard %s: unsupported assert type %q", m.ID, h.Rule, a))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("migration table:\n\t%s", strings.Join(problems, "\n\t"))
	}
	return nil
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
