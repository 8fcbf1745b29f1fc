package iterchange_test

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/iterchange"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the current fixes")

// fixed lists the testdata packages with golden files.
var fixed = []string{"expswitch", "lockedseq", "nilcollect", "expmaps"}

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), iterchange.Analyzer, "expmigrate", "lockedseq", "nilcollect", "expswitch", "expmaps")
}

// TestFixes checks the rewrites against .golden files: the switch from
// x/exp/slices to slices (mixed.go, whose uses cannot all move, is left
// alone) and iterators snapshotted under their lock. Run with -update to
// write them.
func TestFixes(t *testing.T) {
	if *update {
		rewritetest.WriteGolden(t, analysistest.TestData(), iterchange.Analyzer, fixed...)
	}
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), iterchange.Analyzer, fixed...)
}

// TestFixedCode proves that the fixed sources compile, that a second run
// has nothing left to fix, and that no comment was lost.
func TestFixedCode(t *testing.T) {
	rewritetest.CheckGolden(t, analysistest.TestData(), iterchange.Analyzer, fixed...)
}

// FuzzFix feeds single-file programs through the analyzer and its
// rewrites: no panic, and every fixed source parses. (Fuzzed sources may
// import the standard library only, so this exercises the analyzer's
// standard-library paths.)
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, iterchange.Analyzer, `//go:build go1.23

package p

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

type store struct {
	mu sync.Mutex
	m  map[string]int
}

func (s *store) Keys() []byte {
	s.mu.Lock()
	keys := maps.Keys(s.m)
	s.mu.Unlock()
	b, _ := json.Marshal(slices.Collect(keys))
	return b
}
`)
}

// TestVersions runs the analyzer on modules with their own go line and their
// own copy of x/exp, as found in the field.
func TestVersions(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join(analysistest.TestData(), "versions", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no txtar archives under testdata/versions")
	}
	for _, archive := range archives {
		name := strings.TrimSuffix(filepath.Base(archive), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := extract(t, archive)
			analysistest.Run(t, dir, iterchange.Analyzer, "example.com/svc/...")
		})
	}
}

func extract(t *testing.T, archive string) string {
	return txtarmod.Extract(t, archive)
}

func TestCheck(t *testing.T) {
	c := iterchange.Check
	if c.ID != "UP1004" || c.Name != "iterchange" {
		t.Errorf("Check identity = %q %q", c.ID, c.Name)
	}
	if c.Why == "" || c.Before == "" || c.After == "" || c.Doc == "" || c.Since == "" {
		t.Errorf("Check has empty fields: %+v", c)
	}
	if c.Title != meta.Title(iterchange.Analyzer.Doc) || c.Title == "" || len(c.Title) > 60 {
		t.Errorf("Check.Title = %q, doc title %q", c.Title, meta.Title(iterchange.Analyzer.Doc))
	}
	if c.Severity != "warning" || c.Tier != tier.Safe {
		t.Errorf("Check severity/tier = %q/%q", c.Severity, c.Tier)
	}
	if c.URL != iterchange.Analyzer.URL || c.URL == "" {
		t.Errorf("Check.URL = %q", c.URL)
	}
}
