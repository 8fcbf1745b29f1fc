// Package rewritetest provides a small analyzer with suggested fixes for
// testing fix drivers (the engine and `upshift fix`) without depending on
// the real analyzers' rules.
package rewritetest

import (
	"go/ast"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/rewrite"
)

// Renamer returns an analyzer called name that reports every call of a
// function named by a key of renames ("x is old") and fixes it into a call
// of the value, with the given tier. A chain a->b, b->c needs two rounds; a
// pair a->b, b->a oscillates; a rename to an undefined function does not
// compile.
func Renamer(name string, tier tier.Tier, renames map[string]string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: name,
		Doc:  "report calls of old functions",
		Run: func(pass *analysis.Pass) (any, error) {
			defer suppress.Install(pass)()
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					id, ok := call.Fun.(*ast.Ident)
					if !ok {
						return true
					}
					to, ok := renames[id.Name]
					if !ok {
						return true
					}
					fix, err := rewrite.Fix(pass, call.Pos(), tier, "call "+to, func(f *rewrite.File) error {
						f.Expr(call).(*dst.CallExpr).Fun = dst.NewIdent(to)
						return nil
					})
					d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: id.Name + " is old"}
					if err == nil {
						d.SuggestedFixes = []analysis.SuggestedFix{fix}
					} else {
						d.Related = []analysis.RelatedInformation{rewrite.NoFix(call.Pos(), err.Error())}
					}
					pass.Report(d)
					return true
				})
			}
			return nil, nil
		},
	}
}
