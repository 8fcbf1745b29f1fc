package deps

import (
	"go/ast"
	"go/token"
	"go/types"
)

// NonNilGuarded reports whether the expression arg, evaluated at the end
// of stack (the chain of nodes from the file down to arg's call), is known
// to be a non-nil value: arg is a variable and an enclosing `if v != nil`
// (possibly `&&`-joined with other conditions) holds, with no assignment
// to v inside that if's body and no function literal in between (a
// closure may run after v changed). Wrapping such an error with fmt.Errorf
// keeps pkg/errors' meaning: Wrap(nil) is nil only when err can be nil.
func NonNilGuarded(info *types.Info, stack []ast.Node, arg ast.Expr) bool {
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	// Inside a loop, an assignment after the use runs before the next
	// iteration's use.
	before := arg.Pos()
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			before = token.NoPos
		case *ast.BlockStmt:
			ifs, ok := stack[i-1].(*ast.IfStmt)
			if !ok || ifs.Body != n {
				continue
			}
			if condNonNil(info, ifs.Cond, v) && !assigns(info, n, v, before) {
				return true
			}
		}
	}
	return false
}

// condNonNil reports whether cond being true implies v != nil.
func condNonNil(info *types.Info, cond ast.Expr, v *types.Var) bool {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LAND:
			return condNonNil(info, c.X, v) || condNonNil(info, c.Y, v)
		case token.NEQ:
			return isVar(info, c.X, v) && isNil(info, c.Y) || isVar(info, c.Y, v) && isNil(info, c.X)
		}
	}
	return false
}

func isVar(info *types.Info, e ast.Expr, v *types.Var) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == v
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// assigns reports whether v is assigned, or has its address taken, in n
// before the position before (anywhere when before is NoPos). The
// statement `err = Wrap(err, ...)` itself does not count: its right side
// is evaluated before the assignment.
func assigns(info *types.Info, n ast.Node, v *types.Var, before token.Pos) bool {
	found := false
	counts := func(pos token.Pos) bool { return !before.IsValid() || pos < before }
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if isVar(info, l, v) && counts(n.TokPos) && !(before.IsValid() && n.Pos() <= before && before < n.End()) {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && isVar(info, n.X, v) {
				found = true
			}
		}
		return !found
	})
	return found
}
