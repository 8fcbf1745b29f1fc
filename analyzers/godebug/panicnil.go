package godebug

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// panicNil finds panic(nil) calls, which from go1.21 panic with a
// *runtime.PanicNilError (panicnil=0), and, in packages that call panic(nil),
// the recover() results compared with nil: those checks used to miss the
// nil panic and now see it.
//
// The ordinary "if r := recover(); r != nil" guard is not reported in
// packages without a panic(nil): a nil panic from another package cannot be
// told apart from a sound guard without whole-program analysis.
func panicNil(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	var first ast.Node
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !isBuiltin(info, call, "panic") || len(call.Args) != 1 || !isNilValue(info, call.Args[0]) {
			continue
		}
		if first == nil {
			first = call
		}
		out = append(out, finding{
			setting: "panicnil",
			node:    call,
			what:    "panic(nil) panics with *runtime.PanicNilError from go1.21, so recover() returns non-nil where it used to return nil",
			fix:     "panic with a non-nil sentinel value and recover that value",
		})
	}
	if first == nil {
		return out
	}

	// Variables holding a recover() result.
	recovered := make(map[types.Object]bool)
	for cur := range insp.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		var lhs []*ast.Ident
		var rhs []ast.Expr
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for _, e := range n.Lhs {
				id, _ := e.(*ast.Ident)
				lhs = append(lhs, id)
			}
			rhs = n.Rhs
		case *ast.ValueSpec:
			lhs, rhs = n.Names, n.Values
		}
		if len(lhs) != len(rhs) {
			continue
		}
		for i, e := range rhs {
			if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && lhs[i] != nil && isBuiltin(info, call, "recover") {
				if obj := info.ObjectOf(lhs[i]); obj != nil {
					recovered[obj] = true
				}
			}
		}
	}
	isRecovered := func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			return isBuiltin(info, e, "recover")
		case *ast.Ident:
			return recovered[info.Uses[e]]
		}
		return false
	}
	for cur := range insp.Root().Preorder((*ast.BinaryExpr)(nil)) {
		be := cur.Node().(*ast.BinaryExpr)
		if be.Op != token.EQL && be.Op != token.NEQ {
			continue
		}
		if !(isNilValue(info, be.Y) && isRecovered(be.X) || isNilValue(info, be.X) && isRecovered(be.Y)) {
			continue
		}
		out = append(out, finding{
			setting: "panicnil",
			node:    be,
			related: first,
			relMsg:  "panic(nil) in this package",
			what: fmt.Sprintf("%s compares a recover() result with nil while this package calls panic(nil): from go1.21 that panic recovers as a non-nil *runtime.PanicNilError, so this branch changes",
				types.ExprString(be)),
			fix: "recover a non-nil sentinel instead of nil",
		})
	}
	return out
}

// isNilValue reports whether e is nil: the untyped nil, or nil converted to
// an interface type (error(nil)).
func isNilValue(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.IsNil() {
		return true
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && types.IsInterface(tv.Type) {
			return isNilValue(info, call.Args[0])
		}
	}
	return false
}
