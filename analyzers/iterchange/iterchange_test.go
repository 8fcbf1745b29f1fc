package iterchange_test

import (
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/iterchange"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

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
	kittest.Fixes(t, iterchange.Analyzer, fixed...)
}

// TestVersions runs the analyzer on modules with their own go line and their
// own copy of x/exp, as found in the field.
func TestVersions(t *testing.T) {
	kittest.Modules(t, iterchange.Analyzer, "versions/*", "example.com/svc/...", nil)
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
