package iterchange

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// snapshotSeqFix makes an iterator created while a lock is held read a copy
// taken there, instead of the guarded state after the unlock:
//
//   - maps.Keys(m), maps.Values(m) and other iter.Seq values X become
//     slices.Values(slices.Collect(X));
//   - maps.All(m) becomes maps.All(maps.Clone(m));
//   - slices.Values(s), slices.All(s), slices.Backward(s) range over
//     slices.Clone(s).
//
// The expression keeps its type (iter.Seq[T] or iter.Seq2[K, V]), so the
// code that ranges it or returns it does not change. The tier is safe:
// only executions that raced with a writer see a different result.
func snapshotSeqFix(pass *analysis.Pass, call *ast.CallExpr) (analysis.SuggestedFix, error) {
	info := pass.TypesInfo
	file := rewrite.FileOf(pass, call)
	if file == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is not in a file of the package")
	}
	named, ok := types.Unalias(info.TypeOf(call)).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "iter" {
		return analysis.SuggestedFix{}, fmt.Errorf("the iterator's type is not iter.Seq or iter.Seq2")
	}
	seq2 := named.Obj().Name() == "Seq2"
	pkg, name := "", ""
	if fn := typeutil.StaticCallee(info, call); fn != nil && fn.Pkg() != nil && fn.Signature().Recv() == nil {
		pkg, name = fn.Pkg().Path(), fn.Name()
	}
	var clonePkg string // "maps" or "slices": clone the argument
	switch {
	case pkg == "maps" && name == "All" && len(call.Args) == 1:
		clonePkg = "maps"
	case pkg == "slices" && (name == "Values" || name == "All" || name == "Backward") && len(call.Args) == 1:
		clonePkg = "slices"
	case seq2:
		return analysis.SuggestedFix{}, fmt.Errorf("an iter.Seq2 from %s has no standard collector that keeps its type: copy the state before the unlock", types.ExprString(call.Fun))
	}
	need := []string{"slices"}
	if clonePkg != "" {
		need = []string{clonePkg}
	}
	for _, p := range need {
		if err := rewrite.CanName(pass, file, call.Pos(), p); err != nil {
			return analysis.SuggestedFix{}, err
		}
	}
	msg := "take a copy while the lock is held"
	return rewrite.Fix(pass, call.Pos(), tier.Safe, msg, func(f *rewrite.File) error {
		d, ok := f.Expr(call).(*dst.CallExpr)
		if !ok {
			return fmt.Errorf("call not found in the decorated file")
		}
		if clonePkg != "" {
			name := rewrite.AddImport(f, clonePkg)
			d.Args[0] = &dst.CallExpr{Fun: rewrite.Sel(name, "Clone"), Args: []dst.Expr{d.Args[0]}}
			return nil
		}
		slicesName := rewrite.AddImport(f, "slices")
		inner := dst.Clone(d).(*dst.CallExpr)
		inner.Decs = dst.CallExprDecorations{}
		collect := &dst.CallExpr{Fun: rewrite.Sel(slicesName, "Collect"), Args: []dst.Expr{inner}}
		d.Fun = rewrite.Sel(slicesName, "Values")
		d.Args = []dst.Expr{collect}
		d.Ellipsis = false
		return nil
	})
}
