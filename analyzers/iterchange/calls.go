package iterchange

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/ast/inspector"
)

// Import paths of the x/exp packages whose contents moved to the standard
// library with changes.
const (
	expMapsPath   = "golang.org/x/exp/maps"
	expSlicesPath = "golang.org/x/exp/slices"
)

// isSeqType reports whether t is an instance of iter.Seq or iter.Seq2.
func isSeqType(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == "iter" && (obj.Name() == "Seq" || obj.Name() == "Seq2")
}

// render prints e for a message, shortening long expressions so that the
// message stays readable.
func render(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) <= 48 {
		return s
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		return types.ExprString(call.Fun) + "(...)"
	}
	return s[:45] + "..."
}

// qualifiedName renders the callee of call as written, e.g. "xmaps.Keys",
// falling back to pkg.name when the call is not a plain selector.
func qualifiedName(call *ast.CallExpr, fn *types.Func) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		return types.ExprString(sel)
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// mentions reports whether any identifier under n satisfies pred.
func mentions(n ast.Node, pred func(*ast.Ident) bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && pred(id) {
			found = true
		}
		return !found
	})
	return found
}

// enclosingBody returns the cursor of the body of the innermost function
// (declaration or literal) around cur.
func enclosingBody(cur inspector.Cursor) (inspector.Cursor, bool) {
	if fn, _, body, ok := kit.EnclosingFunc(cur); ok {
		if body == nil {
			return inspector.Cursor{}, false
		}
		return fn.Child(body), true
	}
	return inspector.Cursor{}, false
}

// lenComparison classifies a comparison of len(x) (or x == nil) with zero:
// it returns the rendered x and whether the comparison is true when x is
// empty (len(x) == 0, len(x) < 1, x == nil) or when x is non-empty
// (len(x) > 0, len(x) != 0, len(x) >= 1). A nil comparison says nothing
// about length, so callers that need a length proof use lenOnly.
func lenComparison(e ast.Expr) (x string, whenEmpty, ok bool) {
	bin, isBin := ast.Unparen(e).(*ast.BinaryExpr)
	if !isBin {
		return "", false, false
	}
	lhs, rhs, op := ast.Unparen(bin.X), ast.Unparen(bin.Y), bin.Op
	if isIntLit(lhs) || isNil(lhs) {
		lhs, rhs = rhs, lhs
		op = mirror(op)
	}
	if isNil(rhs) {
		switch op {
		case token.EQL:
			return types.ExprString(lhs), true, true
		case token.NEQ:
			return types.ExprString(lhs), false, true
		}
		return "", false, false
	}
	call, isCall := lhs.(*ast.CallExpr)
	if !isCall || len(call.Args) != 1 {
		return "", false, false
	}
	if id, isID := call.Fun.(*ast.Ident); !isID || id.Name != "len" {
		return "", false, false
	}
	arg := types.ExprString(ast.Unparen(call.Args[0]))
	lit, _ := rhs.(*ast.BasicLit)
	if lit == nil || lit.Kind != token.INT {
		return "", false, false
	}
	switch {
	case lit.Value == "0" && (op == token.EQL || op == token.LEQ):
		return arg, true, true
	case lit.Value == "1" && op == token.LSS:
		return arg, true, true
	case lit.Value == "0" && (op == token.GTR || op == token.NEQ):
		return arg, false, true
	case lit.Value == "1" && op == token.GEQ:
		return arg, false, true
	}
	return "", false, false
}

// lenOnly is lenComparison restricted to len(x) comparisons.
func lenOnly(e ast.Expr) (x string, whenEmpty, ok bool) {
	bin, isBin := ast.Unparen(e).(*ast.BinaryExpr)
	if !isBin || isNil(ast.Unparen(bin.X)) || isNil(ast.Unparen(bin.Y)) {
		return "", false, false
	}
	return lenComparison(e)
}

func isIntLit(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.INT
}

func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// mirror turns "a op b" into "b op' a".
func mirror(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.GTR:
		return token.LSS
	case token.LEQ:
		return token.GEQ
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// conditions returns the comparisons of a condition joined by && and ||.
func conditions(e ast.Expr) []ast.Expr {
	e = ast.Unparen(e)
	if bin, ok := e.(*ast.BinaryExpr); ok && (bin.Op == token.LAND || bin.Op == token.LOR) {
		return append(conditions(bin.X), conditions(bin.Y)...)
	}
	return []ast.Expr{e}
}

// terminates reports whether a block ends by leaving the surrounding code:
// return, break, continue, goto, or a call that never returns (kit.IsExitCall).
func terminates(info *types.Info, b *ast.BlockStmt) bool {
	if b == nil || len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		return ok && kit.IsExitCall(info, call)
	}
	return false
}
