package rewrite_test

import (
	"go/ast"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// loud reports calls of hz.Shout and fixes them into strings.ToUpper,
// exercising node mapping, import addition (with aliasing) and removal.
var loud = &analysis.Analyzer{
	Name: "loud",
	Doc:  "report hz.Shout calls",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				fn := typeutil.StaticCallee(pass.TypesInfo, call)
				if fn == nil || fn.FullName() != "example.com/hz.Shout" {
					return true
				}
				fix, err := rewrite.Fix(pass, call.Pos(), tier.Safe, "use strings.ToUpper", func(f *rewrite.File) error {
					name := rewrite.AddImport(f, "strings")
					d := f.Expr(call).(*dst.CallExpr)
					d.Fun = &dst.SelectorExpr{X: dst.NewIdent(name), Sel: dst.NewIdent("ToUpper")}
					rewrite.RemoveImportIfUnused(f, "example.com/hz")
					return nil
				})
				if err != nil {
					return true
				}
				pass.Report(analysis.Diagnostic{Pos: call.Pos(), Message: "loud call", SuggestedFixes: []analysis.SuggestedFix{fix}})
				return true
			})
		}
		return nil, nil
	},
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), loud, "a", "b")
}

func TestTierOf(t *testing.T) {
	assert.Equal(t, tier.Behavior, rewrite.TierOf(analysis.SuggestedFix{Message: "[behavior] x"}))
	assert.Equal(t, tier.Safe, rewrite.TierOf(analysis.SuggestedFix{Message: "[safe] x"}))
	assert.Equal(t, tier.Safe, rewrite.TierOf(analysis.SuggestedFix{Message: "other"}))
}
