// Package kittest is the one test helper for upshift's analyzers: the
// golden-file fix tests, the proof that fixed code compiles and converges,
// and the txtar modules that carry their own go line. An analyzer's test
// file holds its cases; the boilerplate lives here.
package kittest

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/internal/txtarmod"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

// Update rewrites the .golden files from the current fixes: `go test
// ./analyzers/NAME/ -run TestFixes -update`, then review the diff.
var Update = flag.Bool("update", false, "rewrite the .golden files from the current fixes")

// Fixes checks the fixes of a's findings in the GOPATH-mode packages pkgs
// of testdata against their .golden files (written first under -update),
// and that no finding carries more than one fix, then proves that the fixed sources compile, that a second run has
// nothing left to fix, that no comment was lost and that they are gofmt'd.
func Fixes(t *testing.T, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	// Golden files hold the fixes of every tier.
	previous := rewrite.SetMaxTier(tier.Behavior)
	t.Cleanup(func() { rewrite.SetMaxTier(previous) })
	dir := analysistest.TestData()
	if *Update {
		rewritetest.WriteGolden(t, dir, a, pkgs...)
	}
	t.Run("golden", func(t *testing.T) {
		for _, r := range analysistest.RunWithSuggestedFixes(t, dir, a, pkgs...) {
			for _, d := range r.Diagnostics {
				// go fix, golangci-lint --fix and nogo apply every fix
				// of a diagnostic: alternatives would collide.
				if len(d.SuggestedFixes) > 1 {
					t.Errorf("%s: %d fixes on one diagnostic (%q); drivers apply them all, so offer one", r.Pass.Fset.Position(d.Pos), len(d.SuggestedFixes), d.Message)
				}
			}
		}
	})
	t.Run("fixed code", func(t *testing.T) {
		rewritetest.CheckGolden(t, dir, a, pkgs...)
	})
}

// Modules runs a over the packages matching pattern (./... for all) in
// every module archived as testdata/<glob>.txtar (each with its own go.mod,
// so its own go line), as a subtest named after the archive; setup, when not nil, runs first in each subtest (to set an
// analyzer flag for that module, say). It fails when glob matches nothing.
func Modules(t *testing.T, a *analysis.Analyzer, glob, pattern string, setup func(t *testing.T, archive string)) {
	t.Helper()
	archives, err := filepath.Glob(filepath.Join(analysistest.TestData(), glob+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatalf("no archives match testdata/%s.txtar", glob)
	}
	for _, archive := range archives {
		name := filepath.Base(archive)
		t.Run(name[:len(name)-len(".txtar")], func(t *testing.T) {
			if setup != nil {
				setup(t, name)
			}
			analysistest.Run(t, txtarmod.Extract(t, archive), a, pattern)
		})
	}
}
