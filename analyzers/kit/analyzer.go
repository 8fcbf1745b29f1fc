package kit

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/rewrite"
)

// NewAnalyzer declares an upshift analyzer the one way: its Doc is the
// "# Analyzer name" section of its doc.go (docGo, embedded), its URL points
// at its documentation, and it requires the inspector and rewrite.Fixes
// (so it builds fixes only when they are wanted). facts are the fact
// types it exports.
func NewAnalyzer(name, docGo string, run func(*analysis.Pass) (any, error), facts ...analysis.Fact) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      name,
		Doc:       meta.MustExtractDoc(docGo, name),
		URL:       meta.DocsURL + name,
		Requires:  []*analysis.Analyzer{inspect.Analyzer, rewrite.Fixes},
		Run:       run,
		FactTypes: facts,
	}
}
