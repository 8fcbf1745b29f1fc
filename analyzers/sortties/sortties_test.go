package sortties_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"
	"github.com/upshift-dev/upshift/analyzers/sortties"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sortties.Analyzer, "a", "params", "sorter")
}

// TestFixes checks the stable-sort rewrites against .golden files (run
// with -update to write them) and that the fixed code compiles.
func TestFixes(t *testing.T) {
	kittest.Fixes(t, sortties.Analyzer, "fix")
}
