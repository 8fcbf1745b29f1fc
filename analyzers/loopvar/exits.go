// This file answers what happens after a statement: does the iteration
// end there, is a goroutine waited for, is a subtest scoped.

package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// stmtLists walks from at up to the region's body and calls visit with
// the statements that follow the path in each statement list. inLit says
// the list belongs to a func literal inside the region (a return there
// does not leave the loop); breaks says whether an unlabeled break there
// leaves the loop. visit returns true to stop the walk.
func (r *region) stmtLists(at inspector.Cursor, visit func(after []ast.Stmt, inLit, breaks bool) bool) {
	lits := 0
	for cur := at; cur.Node() != r.body; cur = cur.Parent() {
		if cur.Node() == nil || (r.fn != nil && cur.Node() == r.fn) {
			return // not inside the region
		}
		if _, ok := cur.Node().(*ast.FuncLit); ok {
			lits++
		}
	}
	for cur := at; cur.Node() != r.body; cur = cur.Parent() {
		if _, ok := cur.Node().(*ast.FuncLit); ok {
			lits--
			continue
		}
		ek, idx := cur.ParentEdge()
		var list []ast.Stmt
		switch p := cur.Parent().Node().(type) {
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			if ek == edge.CaseClause_Body {
				list = p.Body
			}
		case *ast.CommClause:
			if ek == edge.CommClause_Body {
				list = p.Body
			}
		}
		if list == nil || idx < 0 {
			continue
		}
		if visit(list[idx+1:], lits > 0, lits == 0 && r.breakLeaves(cur.Parent())) {
			return
		}
	}
}

// breakLeaves reports whether an unlabeled break directly inside the node
// at cur leaves the region's loop, that is, no loop, switch or select lies
// between them.
func (r *region) breakLeaves(cur inspector.Cursor) bool {
	if r.mode != loopMode {
		return false
	}
	for ; cur.Node() != r.body; cur = cur.Parent() {
		switch cur.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		}
	}
	return true
}

// exitsAfter reports whether the statement holding at is followed, in the
// same iteration, by a statement that leaves the loop for good.
func (r *region) exitsAfter(at inspector.Cursor) bool {
	found := false
	r.stmtLists(at, func(after []ast.Stmt, inLit, breaks bool) bool {
		if inLit {
			return false
		}
		for _, s := range after {
			if r.isExit(s, breaks) {
				found = true
				return true
			}
			if hasJump(s) {
				return true
			}
		}
		return false
	})
	return found
}

// isExit reports whether s surely leaves the loop.
func (r *region) isExit(s ast.Stmt, breaks bool) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		if s.Tok != token.BREAK {
			return false
		}
		if s.Label == nil {
			return breaks
		}
		l := r.c.info.Uses[s.Label]
		return l != nil && l.Pos() < r.loop.Pos()
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		return ok && kit.IsExitCall(r.c.info, call)
	case *ast.BlockStmt:
		for _, t := range s.List {
			if r.isExit(t, breaks) {
				return true
			}
			if hasJump(t) {
				return false
			}
		}
	case *ast.LabeledStmt:
		return r.isExit(s.Stmt, breaks)
	}
	return false
}

// hasJump reports whether s contains a continue or goto, which could skip
// the statements after it.
func hasJump(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.CONTINUE || n.Tok == token.GOTO {
				found = true
			}
		}
		return !found
	})
	return found
}

// joinedAfter reports whether a goroutine started at at is waited for
// before the iteration (or the summarized call) ends: a Wait() call, a
// channel receive or a range over a channel follows it.
func (r *region) joinedAfter(at inspector.Cursor) bool {
	if r.scopedToSubtest(at) {
		return true
	}
	found := false
	r.stmtLists(at, func(after []ast.Stmt, _, _ bool) bool {
		for _, s := range after {
			ast.Inspect(s, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Wait" && len(n.Args) == 0 {
						found = true
					}
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						found = true
					}
				case *ast.RangeStmt:
					if t := r.c.info.TypeOf(n.X); t != nil {
						if _, ok := t.Underlying().(*types.Chan); ok {
							found = true
						}
					}
				}
				return !found
			})
			if found {
				return true
			}
		}
		return false
	})
	return found
}

// scopedToSubtest reports whether at lies in a func literal run by t.Run
// or b.Run (inside the region) that registers a cleanup or defers a call:
// tests conventionally stop there what they started, before the subtest,
// and so the iteration, ends.
func (r *region) scopedToSubtest(at inspector.Cursor) bool {
	for lc := range at.Enclosing((*ast.FuncLit)(nil)) {
		lit := lc.Node().(*ast.FuncLit)
		if !r.inBody(lit) {
			return false
		}
		if lc.ParentEdgeKind() != edge.CallExpr_Args {
			continue
		}
		fn := typeutil.StaticCallee(r.c.info, lc.Parent().Node().(*ast.CallExpr))
		if fn == nil || (fn.FullName() != "(*testing.T).Run" && fn.FullName() != "(*testing.B).Run") {
			continue
		}
		cleans := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.DeferStmt:
				cleans = true
			case *ast.CallExpr:
				if fn := typeutil.StaticCallee(r.c.info, n); fn != nil && fn.FullName() == "(*testing.common).Cleanup" {
					cleans = true
				}
			}
			return !cleans
		})
		if cleans {
			return true
		}
	}
	return false
}
