package maporder_test

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/rewrite"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "returns", "flows", "writers", "sorthelp", "suppressed", "compare", "k8s.io/apimachinery/pkg/util/sets")
}

// TestFixes checks the sorted-keys rewrites against .golden files (run
// with -update to write them, and review the diff), and that the fixed
// code compiles, converges and keeps its comments.
func TestFixes(t *testing.T) {
	kittest.Fixes(t, maporder.Analyzer, "sortfix")
}

// TestVersions runs the modules under testdata/*.txtar, each with its own go
// line: iterator sources (maps.Keys, slices.Collect) need go1.23.
func TestVersions(t *testing.T) {
	kittest.Modules(t, maporder.Analyzer, "*", "./...", nil)
}

// TestNoFixReasons checks that the findings the rewrite leaves alone say
// why, and that the others carry a fix.
func TestNoFixReasons(t *testing.T) {
	want := map[string]string{ // function -> reason ("" = has a fix)
		"BuildEnv":     "",
		"Labels":       "",
		"Mid":          "",
		"OldDurations": "",
		"Collected":    "",
		"Pruned":       "the loop changes m: keys sorted before the loop would not follow the change",
		"Points":       "the key type Point has no order to sort by",
		"Called":       "",
		"CalledValues": "",
		"Handed":       "the loop hands s on, which may change s.routes",
		"Redeclared":   "the loop body declares its own v",
		"Captured":     "before go1.22 the loop's v is shared by all iterations and a function literal refers to it",
	}
	results := analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "sortfix")
	got := map[string]string{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			name := enclosingFunc(r.Pass.Files, d.Pos)
			reason := "(no fix and no reason)"
			if len(d.SuggestedFixes) > 0 {
				reason = ""
			}
			for _, rel := range d.Related {
				if s, ok := strings.CutPrefix(rel.Message, rewrite.NoFixPrefix); ok {
					reason = s
				}
			}
			got[name] = reason
		}
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: no finding", name)
		case w == "" && g != "":
			t.Errorf("%s: no fix: %s", name, g)
		case !strings.HasPrefix(g, w):
			t.Errorf("%s: reason %q, want it to start with %q", name, g, w)
		}
	}
}

// enclosingFunc names the function declaration around pos.
func enclosingFunc(files []*ast.File, pos token.Pos) string {
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
				return fd.Name.Name
			}
		}
	}
	return ""
}

// FuzzFix feeds single-file programs through the analyzer: no panic, and
// every fixed source parses.
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, maporder.Analyzer, `package p

import (
	"fmt"
	"io"
)

func dump(w io.Writer, m map[string]int) {
	for k, v := range m {
		fmt.Fprintln(w, k, v)
	}
}
`, `//go:build go1.23

package p

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

func names(m map[string]bool) string {
	var out []string
	for _, v := range m {
		out = append(out, fmt.Sprint(v))
	}
	ks := slices.Collect(maps.Keys(m))
	return strings.Join(out, ",") + strings.Join(ks, ",")
}
`, `package p

import "sort"

type ID uint16

func ids(m map[ID]string) (out []ID) {
L:
	for id := range m {
		switch {
		case id == 0:
			continue L
		}
		out = append(out, id)
	}
	return out
}

var _ = sort.Ints
`)
}
