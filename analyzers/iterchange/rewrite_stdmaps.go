package iterchange

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// expMapsPath is the import path toStdMapsFix moves away from.

// toStdMapsFix switches the file from golang.org/x/exp/maps to the standard
// maps package, keeping every result's type and value: maps.Keys(m) and
// maps.Values(m), which returned slices, become
// slices.AppendSeq(make([]K, 0, len(m)), maps.Keys(m)) (the x/exp
// implementation: a non-nil slice in map order), maps.Clear(m) becomes the
// builtin clear(m), and Clone, Copy, DeleteFunc, Equal and EqualFunc stay
// as they are. calls are the file's x/exp/maps calls; the caller checks
// that they are the file's only uses of the package and that the file's
// Go version has the standard functions (go1.23 for Keys and Values).
func toStdMapsFix(pass *analysis.Pass, file *ast.File, calls []*ast.CallExpr) (analysis.SuggestedFix, error) {
	info := pass.TypesInfo
	type keysCall struct {
		call *ast.CallExpr
		elem types.Type
	}
	var seqs []keysCall
	for _, call := range calls {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return analysis.SuggestedFix{}, fmt.Errorf("an x/exp/maps function is not called through its package name")
		}
		switch sel.Sel.Name {
		case "Keys", "Values":
			st, ok := info.TypeOf(call).Underlying().(*types.Slice)
			if !ok || len(call.Args) != 1 {
				return analysis.SuggestedFix{}, fmt.Errorf("maps.%s does not return a slice here", sel.Sel.Name)
			}
			if _, err := rewrite.TypeExpr(pass, file, st.Elem()); err != nil {
				return analysis.SuggestedFix{}, err
			}
			if err := rewrite.CanName(pass, file, call.Pos(), "slices"); err != nil {
				return analysis.SuggestedFix{}, err
			}
			for _, b := range []string{"make", "len"} {
				if obj := rewrite.Lookup(pass, file, call.Pos(), b); obj != nil && obj.Parent() != types.Universe {
					return analysis.SuggestedFix{}, fmt.Errorf("the name %s is redeclared here", b)
				}
			}
			seqs = append(seqs, keysCall{call, st.Elem()})
		case "Clear":
			if obj := rewrite.Lookup(pass, file, call.Pos(), "clear"); obj != nil && obj.Parent() != types.Universe {
				return analysis.SuggestedFix{}, fmt.Errorf("the name clear is redeclared here")
			}
		case "Clone", "Copy", "DeleteFunc", "Equal", "EqualFunc":
		default:
			return analysis.SuggestedFix{}, fmt.Errorf("the standard maps package has no %s", sel.Sel.Name)
		}
	}
	return rewrite.Fix(pass, file.Pos(), tier.Safe, "import the standard maps package instead of golang.org/x/exp/maps, keeping slice results", func(f *rewrite.File) error {
		slicesName := ""
		for _, call := range calls {
			d, ds, err := f.SelectorCall(call)
			if err != nil {
				return err
			}
			switch ds.Sel.Name {
			case "Clear":
				d.Fun = dst.NewIdent("clear")
			case "Keys", "Values":
				if slicesName == "" {
					slicesName = rewrite.AddImport(f, "slices")
				}
				var elem types.Type
				for _, s := range seqs {
					if s.call == call {
						elem = s.elem
					}
				}
				t, err := rewrite.TypeExpr(pass, file, elem)
				if err != nil {
					return err
				}
				makeArgs := []dst.Expr{&dst.ArrayType{Elt: t}, &dst.BasicLit{Kind: token.INT, Value: "0"}}
				if simple(call.Args[0]) {
					makeArgs = append(makeArgs, &dst.CallExpr{Fun: dst.NewIdent("len"), Args: []dst.Expr{dst.Clone(d.Args[0]).(dst.Expr)}})
				}
				inner := dst.Clone(d).(*dst.CallExpr)
				inner.Decs = dst.CallExprDecorations{}
				d.Fun = rewrite.Sel(slicesName, "AppendSeq")
				d.Args = []dst.Expr{&dst.CallExpr{Fun: dst.NewIdent("make"), Args: makeArgs}, inner}
			}
		}
		return rewrite.ReplaceImport(f, expMapsPath, "maps")
	})
}

// simple reports whether e is a variable or a field path, cheap and safe
// to evaluate twice.
func simple(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return simple(e.X)
	}
	return false
}
