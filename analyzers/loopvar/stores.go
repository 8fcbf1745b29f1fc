// This file decides when a store of an alias outlives the iteration: a
// collecting store, or a single slot that later code can observe.

package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// store handles an alias assigned to lhs in the statement at stmtC.
func (r *region) store(stmtC inspector.Cursor, lhs ast.Expr, direct, acc bool) *escape {
	if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
		return nil
	}
	lr := kit.RootOf(r.c.info, lhs)
	root, indexed, indirect := lr.Var, lr.Indexed, lr.Indirect
	_, plain := ast.Unparen(lhs).(*ast.Ident)
	if plain && root == nil {
		return nil // not a variable we can follow
	}
	where := "stored in " + kit.ShortExpr(lhs)
	if acc {
		where = "appended to " + kit.ShortExpr(lhs)
	}
	switch {
	case root != nil && r.loopVars[root]:
		return nil
	case root != nil && r.isLocal(root):
		if plain {
			return r.local(root, direct)
		}
		if r.mode == loopMode {
			return r.local(root, false) // a per-iteration value now holds the alias
		}
		return nil
	case r.mode == funcMode:
		global := root == nil || root.Parent() == root.Pkg().Scope()
		switch {
		case global:
		case plain && r.results[root]:
			return r.sink(stmtC, sinkReturn, "returned", 0)
		case plain || !indirect:
			return nil // rebinding or filling in the callee's own copy
		case root == r.recv:
			return r.sink(stmtC, sinkRecv, where, 0)
		}
		return r.sink(stmtC, sinkStore, where, 0)
	}
	if acc || indexed {
		return r.sink(stmtC, sinkStore, where, 0)
	}
	return r.slot(stmtC, lhs)
}

// slot handles an alias stored in one outer variable or field: visible
// only when the store is conditional, the slot is read by a later
// iteration, or a post statement moves the variable on.
func (r *region) slot(stmtC inspector.Cursor, lhs ast.Expr) *escape {
	var why slotReason
	switch {
	case isFor(r.loop):
		why = slotThreeClause
	case stmtC.Parent().Node() != r.body || r.mayEndEarly(stmtC):
		why = slotConditional
	case r.slotRead(lhs):
		why = slotReadLater
	default:
		return nil
	}
	return r.sink(stmtC, sinkSlot, "stored in "+kit.ShortExpr(lhs), why)
}

func isFor(s ast.Stmt) bool {
	_, ok := s.(*ast.ForStmt)
	return ok
}

// mayEndEarly reports whether a statement of the loop body before the one
// at stmtC can end the iteration, so that stmtC runs on some iterations
// only.
func (r *region) mayEndEarly(stmtC inspector.Cursor) bool {
	for _, s := range r.body.List {
		if s.Pos() >= stmtC.Node().Pos() {
			return false
		}
		jumps := false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt, *ast.ReturnStmt:
				jumps = true
			case *ast.CallExpr:
				if kit.IsExitCall(r.c.info, n) {
					jumps = true
				}
			}
			return !jumps
		})
		if jumps {
			return true
		}
	}
	return false
}

// slotRead reports whether the slot lhs is read inside the loop other
// than by comparing it with nil.
func (r *region) slotRead(lhs ast.Expr) bool {
	info := r.c.info
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		v, _ := info.ObjectOf(l).(*types.Var)
		for _, u := range r.uses[v] {
			if u.Node() == l || !r.inLoop(u.Node()) || isAssigned(u) || nilCompared(info, u) {
				continue
			}
			return true
		}
		return false
	case *ast.SelectorExpr:
		s := info.Selections[l]
		if s == nil {
			v, _ := info.Uses[l.Sel].(*types.Var)
			for ic := range r.loopC.Preorder((*ast.SelectorExpr)(nil)) {
				sel := ic.Node().(*ast.SelectorExpr)
				if sel != l && info.Uses[sel.Sel] == v && !isAssigned(ic) && !nilCompared(info, ic) {
					return true
				}
			}
			return false
		}
		for ic := range r.loopC.Preorder((*ast.SelectorExpr)(nil)) {
			sel := ic.Node().(*ast.SelectorExpr)
			if t := info.Selections[sel]; sel != l && t != nil && t.Obj() == s.Obj() && !isAssigned(ic) && !nilCompared(info, ic) {
				return true
			}
		}
		return false
	}
	return false
}

func (r *region) inLoop(n ast.Node) bool {
	return r.loop.Pos() <= n.Pos() && n.End() <= r.loop.End()
}

// isAssigned reports whether the expression at cur is the whole target of
// an assignment.
func isAssigned(cur inspector.Cursor) bool {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	return cur.ParentEdgeKind() == edge.AssignStmt_Lhs
}

// isWriteTarget reports whether the use at cur is the root of an
// assignment target (x = ..., x.f = ..., x[i] = ..., *x = ..., x++).
func isWriteTarget(info *types.Info, cur inspector.Cursor) bool {
	for {
		switch cur.ParentEdgeKind() {
		case edge.ParenExpr_X, edge.IndexExpr_X, edge.StarExpr_X:
		case edge.SelectorExpr_X:
			if s := info.Selections[cur.Parent().Node().(*ast.SelectorExpr)]; s == nil || s.Kind() != types.FieldVal {
				return false
			}
		case edge.AssignStmt_Lhs, edge.IncDecStmt_X, edge.RangeStmt_Key, edge.RangeStmt_Value:
			return true
		default:
			return false
		}
		cur = cur.Parent()
	}
}

// nilCompared reports whether the expression at cur is compared with nil.
func nilCompared(info *types.Info, cur inspector.Cursor) bool {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	ek := cur.ParentEdgeKind()
	if ek != edge.BinaryExpr_X && ek != edge.BinaryExpr_Y {
		return false
	}
	b := cur.Parent().Node().(*ast.BinaryExpr)
	if b.Op != token.EQL && b.Op != token.NEQ {
		return false
	}
	other := b.Y
	if ek == edge.BinaryExpr_Y {
		other = b.X
	}
	return info.Types[other].IsNil()
}
