// Package godebugs holds the toolchain's table of GODEBUG settings and the
// go lines that flip their defaults: what the godebug analyzer, `upshift
// bump` and `upshift compat toolchain` read, without importing an analyzer.
package godebugs

//go:generate go run gen.go

import (
	"cmp"
	"fmt"
	"go/version"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Floor is the go line the go command assumes for code with no go line
// at all (GOPATH mode, a dependency's module without a go directive):
// go1.20, the last release before GODEBUG settings were tied to the go
// line. A module's own go line, however old, selects its own defaults:
// a go 1.16 main module gets netedns0=0 (changed in go1.19) too.
const Floor = 20

// entry is one generated row of the toolchain's GODEBUG table.
type entry struct {
	Name    string
	Package string
	Changed int // Go 1.x minor version of the default change; 0 if none
	Old     string
}

// Setting is a GODEBUG setting whose default changed with a Go release, as
// seen by a module whose go line crosses that release.
type Setting struct {
	// Name is the GODEBUG key, e.g. "asynctimerchan".
	Name string
	// Package is the import path of the package that reads the setting.
	Package string
	// Changed is the go line from which the new default applies, e.g. "go1.23".
	Changed string
	// Old is the value that restores the behaviour from before Changed.
	Old string
	// Description says in a few words what the new default changes.
	Description string
}

// GodebugLine returns the go.mod directive that keeps the old behaviour,
// e.g. "godebug asynctimerchan=1".
func (s Setting) GodebugLine() string {
	return "godebug " + s.Name + "=" + s.Old
}

func (e entry) setting() Setting {
	return Setting{
		Name:        e.Name,
		Package:     e.Package,
		Changed:     "go1." + strconv.Itoa(e.Changed),
		Old:         e.Old,
		Description: describe(e.Name),
	}
}

// Flipped returns the settings whose default differs between a main module
// at go line from and one at go line to: those that changed in a release
// after from and no later than to. Versions may be written "1.21", "go1.21"
// or "go1.21.3"; go lines before go1.20 act as go1.20. The result is sorted
// by release, then name, and is empty when to is not newer than from or
// either version is malformed.
func Flipped(from, to string) []Setting {
	lo, ok1 := Minor(from)
	hi, ok2 := Minor(to)
	if !ok1 || !ok2 {
		return nil
	}
	var out []Setting
	for _, e := range table {
		if flips(e, lo, hi) {
			out = append(out, e.setting())
		}
	}
	slices.SortFunc(out, func(a, b Setting) int {
		return cmp.Or(version.Compare(a.Changed, b.Changed), strings.Compare(a.Name, b.Name))
	})
	return out
}

// Lookup returns the setting called name, if the toolchain's table has it
// and its default ever changed with a go line.
func Lookup(name string) (Setting, bool) {
	i, found := slices.BinarySearchFunc(table, name, func(e entry, n string) int { return strings.Compare(e.Name, n) })
	if !found || table[i].Changed == 0 {
		return Setting{}, false
	}
	return table[i].setting(), true
}

// flips reports whether e's default differs between go lines 1.lo and 1.hi
// (both already raised to the floor).
func flips(e entry, lo, hi int) bool {
	return e.Changed > lo && e.Changed <= hi
}

// Normalize turns a go line or toolchain version ("1.21", "go1.21.3",
// "devel go1.27-abcdef ...") into a language version such as "go1.21", or
// "" when it cannot tell.
func Normalize(v string) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "devel "); ok {
		// Development toolchains report "devel go1.27-abcdef Tue ...".
		v, _, _ = strings.Cut(rest, "-")
	}
	// Experiments follow a space: "go1.26.8 X:jsonv2".
	v, _, _ = strings.Cut(v, " ")
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	return version.Lang(v)
}

// Minor returns the Go 1.x minor version of v.
func Minor(v string) (int, bool) {
	lang := Normalize(v)
	rest, ok := strings.CutPrefix(lang, "go1.")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return 0, false
	}
	return n, true
}

// ToolchainLang is the language version of the running toolchain, the
// default target: "go1.26" for go1.26.8.
func ToolchainLang() string {
	if v := Normalize(runtime.Version()); v != "" {
		return v
	}
	// A toolchain whose version says nothing (a custom build): the newest
	// release the table knows about is the best guess.
	newest := Floor
	for _, e := range table {
		newest = max(newest, e.Changed)
	}
	return fmt.Sprintf("go1.%d", newest)
}
