package rewritetest

import (
	"fmt"
	"go/format"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// WriteGolden runs a on each package of an analysistest testdata directory
// and writes, for every file that a suggested fix changes, the fixed source
// as file.go.golden (all fixes of the file applied together, the first of
// each diagnostic, as analysistest.RunWithSuggestedFixes applies them). A
// test calls it under an -update flag; review the result before
// committing it, since the golden files are then the expectation.
func WriteGolden(t testing.TB, testdata string, a *analysis.Analyzer, pkgs ...string) {
	// Every tier of fix is built and checked.
	previous := rewrite.SetMaxTier(tier.Behavior)
	t.Cleanup(func() { rewrite.SetMaxTier(previous) })
	t.Helper()
	for _, pattern := range pkgs {
		loaded, err := load(testdata, pattern)
		if err != nil {
			t.Fatalf("loading %s: %v", pattern, err)
		}
		graph, err := checker.Analyze([]*analysis.Analyzer{a}, loaded, nil)
		if err != nil {
			t.Fatalf("analyzing %s: %v", pattern, err)
		}
		edits := map[string][]offsetEdit{} // file -> edits of all its fixes
		seen := map[string]bool{}          // test variants repeat diagnostics
		for act := range graph.All() {
			if !act.IsRoot || act.Analyzer != a {
				continue
			}
			for _, d := range act.Diagnostics {
				if len(d.SuggestedFixes) == 0 {
					continue
				}
				fix := d.SuggestedFixes[0]
				if len(fix.TextEdits) == 0 {
					continue
				}
				pos := act.Package.Fset.Position(fix.TextEdits[0].Pos)
				at := act.Package.Fset.Position(d.Pos)
				id := fmt.Sprintf("%s:%d:%s", at.Filename, at.Offset, d.Message)
				if seen[id] {
					continue
				}
				seen[id] = true
				// By offset, so edits from different loads of the same
				// package (test variants) merge.
				for _, e := range fix.TextEdits {
					start := act.Package.Fset.Position(e.Pos).Offset
					end := start
					if e.End.IsValid() {
						end = act.Package.Fset.Position(e.End).Offset
					}
					edits[pos.Filename] = append(edits[pos.Filename], offsetEdit{start, end, e.NewText})
				}
			}
		}
		names := make([]string, 0, len(edits))
		for name := range edits {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			out, err := applyOffsets(src, edits[name])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if formatted, err := format.Source(out); err == nil {
				out = formatted
			}
			if err := os.WriteFile(name+".golden", out, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s.golden", strings.TrimPrefix(name, testdata+string(os.PathSeparator)))
		}
	}
}

// offsetEdit is a text edit by byte offsets.
type offsetEdit struct {
	start, end int
	text       []byte
}

// applyOffsets applies edits to src; identical edits from different fixes
// apply once, overlapping different ones are an error.
func applyOffsets(src []byte, all []offsetEdit) ([]byte, error) {
	var edits []offsetEdit
	for _, oe := range all {
		if !slices.ContainsFunc(edits, func(x offsetEdit) bool {
			return x.start == oe.start && x.end == oe.end && string(x.text) == string(oe.text)
		}) {
			edits = append(edits, oe)
		}
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []byte
	last := 0
	for _, e := range edits {
		if e.start < last || e.end > len(src) {
			return nil, fmt.Errorf("overlapping edits at offset %d", e.start)
		}
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...), nil
}
