package maporder_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"
	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/rewrite"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "returns", "flows", "writers", "sorthelp", "suppressed", "compare", "severity", "severity/sevtest", "mainpkg", "ifaces", "k8s.io/apimachinery/pkg/util/sets")
}

// TestMinLow checks the findings below the default severity (logs, test
// messages) at -maporder.min=low, with their severity in the message.
func TestMinLow(t *testing.T) {
	setMin(t, maporder.SeverityLow)
	analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "lowsev")
}

// TestMinHigh checks that -maporder.min=high keeps the high findings only
// and that every diagnostic's Category is its severity.
func TestMinHigh(t *testing.T) {
	setMin(t, maporder.SeverityHigh)
	results := analysistest.Run(&quiet{T: t}, analysistest.TestData(), maporder.Analyzer, "severity")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			n++
			if d.Category != maporder.SeverityHigh || !strings.HasSuffix(d.Message, "[high]") {
				t.Errorf("%v: category %q, message %q: want high only", r.Pass.Fset.Position(d.Pos), d.Category, d.Message)
			}
		}
	}
	if n == 0 {
		t.Error("no high finding in severity")
	}
}

// TestMinInvalid checks that a bad -maporder.min is refused when parsed.
func TestMinInvalid(t *testing.T) {
	err := maporder.Analyzer.Flags.Set(maporder.FlagMin, "urgent")
	if err == nil || !strings.Contains(err.Error(), `unknown severity "urgent"`) {
		t.Errorf("Set(min, urgent) = %v, want an unknown-severity error", err)
	}
}

// setMin sets -maporder.min for one test.
func setMin(t *testing.T, v string) {
	t.Helper()
	prev := maporder.Analyzer.Flags.Lookup(maporder.FlagMin).Value.String()
	if err := maporder.Analyzer.Flags.Set(maporder.FlagMin, v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { maporder.Analyzer.Flags.Set(maporder.FlagMin, prev) })
}

// quiet drops analysistest's complaints about unmatched // want comments,
// for runs at a severity the comments were not written for.
type quiet struct{ *testing.T }

func (q *quiet) Errorf(format string, args ...any) {
	if !strings.Contains(format, "want") && !strings.Contains(fmt.Sprintf(format, args...), "no diagnostic was reported") {
		q.T.Errorf(format, args...)
	}
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
	defer rewrite.SetMaxTier(rewrite.SetMaxTier(tier.Behavior))
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

// TestCostWithoutFixes checks that findings name their fix's cost also
// when no fixes are built (upshift vet, go vet): the // want comments of
// sortfix expect it.
func TestCostWithoutFixes(t *testing.T) {
	defer rewrite.SetWanted(rewrite.SetWanted(false))
	results := analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "sortfix")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if len(d.SuggestedFixes) > 0 {
				t.Errorf("%v: a fix was built with fixes off", r.Pass.Fset.Position(d.Pos))
			}
		}
	}
}
