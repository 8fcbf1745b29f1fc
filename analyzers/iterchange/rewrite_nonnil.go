package iterchange

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// nonNilCollectFix keeps a collected sequence non-nil when it is empty, as
// the x/exp helpers' slices were: slices.Collect(seq) becomes
// slices.AppendSeq(make([]T, 0), seq), and slices.Sorted(seq) (or
// SortedFunc, SortedStableFunc) becomes append(make([]T, 0),
// slices.Sorted(seq)...). An empty result then encodes as [] instead of
// null and compares equal to []T{}, so the tier is behavior: the output of
// the code as it stands changes (back to what it was before the
// migration).
func nonNilCollectFix(pass *analysis.Pass, call *ast.CallExpr) (analysis.SuggestedFix, error) {
	file := rewrite.FileOf(pass, call)
	if file == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is not in a file of the package")
	}
	fn := typeutil.StaticCallee(pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "slices" {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is not a slices function")
	}
	collect := fn.Name() == "Collect"
	if _, err := rewrite.TypeExpr(pass, file, pass.TypesInfo.TypeOf(call)); err != nil {
		return analysis.SuggestedFix{}, err
	}
	for _, builtin := range []string{"make", "append"} {
		if obj := rewrite.Lookup(pass, file, call.Pos(), builtin); obj != nil && obj.Parent() != types.Universe {
			return analysis.SuggestedFix{}, fmt.Errorf("the name %s is redeclared here", builtin)
		}
	}
	return rewrite.Fix(pass, call.Pos(), tier.Behavior, "keep an empty result non-nil, as x/exp returned it", func(f *rewrite.File) error {
		d, ok := f.Expr(call).(*dst.CallExpr)
		if !ok {
			return fmt.Errorf("call not found in the decorated file")
		}
		t, err := rewrite.TypeExpr(pass, file, pass.TypesInfo.TypeOf(call))
		if err != nil {
			return err
		}
		empty := &dst.CallExpr{Fun: dst.NewIdent("make"), Args: []dst.Expr{t, &dst.BasicLit{Kind: token.INT, Value: "0"}}}
		if collect {
			ds, ok := d.Fun.(*dst.SelectorExpr)
			if !ok {
				return fmt.Errorf("slices.Collect is not called through its package name")
			}
			ds.Sel = dst.NewIdent("AppendSeq")
			d.Args = append([]dst.Expr{empty}, d.Args...)
			return nil
		}
		inner := dst.Clone(d).(*dst.CallExpr)
		inner.Decs = dst.CallExprDecorations{}
		d.Fun = dst.NewIdent("append")
		d.Args = []dst.Expr{empty, inner}
		d.Ellipsis = true
		return nil
	})
}
