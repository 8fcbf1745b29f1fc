// This file holds the rewrites behind the godebug analyzer's
// suggested fixes: code that relies on an old GODEBUG default is changed
// to code that behaves the same under the old and the new default.
//
// For settings without a mechanical code change, the go-line bump itself
// is made behaviour neutral by `upshift bump -pin` (package rewrite/bump),
// which pins the old defaults in go.mod.

package godebug

import (
	"fmt"
	"go/ast"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// nonBlockingDrainFix turns the drain of a timer channel in
//
//	if !t.Stop() {
//		<-t.C
//	}
//
// into a receive that cannot block:
//
//	if !t.Stop() {
//		select {
//		case <-t.C:
//		default:
//		}
//	}
//
// stmt is the drain: an expression statement receiving from t.C, or a
// select whose cases all receive from t.C and that has no default case (a
// default is added). With the buffered channels of Go before 1.23 the
// non-blocking form drains the stale value exactly when the blocking one
// would have, and it no longer hangs when the value was already received;
// with the synchronous channels of Go 1.23 it never blocks. The tier is
// safe: the only behaviour that changes is a hang.
func nonBlockingDrainFix(pass *analysis.Pass, stmt ast.Stmt) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, stmt.Pos(), tier.Safe, "drain the timer channel without blocking", func(f *rewrite.File) error {
		switch s := f.Stmt(stmt).(type) {
		case *dst.SelectStmt:
			s.Body.List = append(s.Body.List, &dst.CommClause{Decs: dst.CommClauseDecorations{NodeDecs: dst.NodeDecs{Before: dst.NewLine}}})
			return nil
		case *dst.ExprStmt:
			sel := &dst.SelectStmt{Body: &dst.BlockStmt{List: []dst.Stmt{
				&dst.CommClause{Comm: &dst.ExprStmt{X: s.X}},
				&dst.CommClause{Decs: dst.CommClauseDecorations{NodeDecs: dst.NodeDecs{Before: dst.NewLine}}},
			}}}
			// The statement's comments and spacing go to the select.
			sel.Decs.NodeDecs = s.Decs.NodeDecs
			return replaceStmt(f.DST, s, sel)
		}
		return fmt.Errorf("the drain is neither a receive statement nor a select")
	})
}

// replaceStmt puts repl where old is in its block or case body.
func replaceStmt(file *dst.File, old, repl dst.Stmt) error {
	done := false
	replaceIn := func(list []dst.Stmt) {
		for i, s := range list {
			if s == old {
				list[i] = repl
				done = true
			}
		}
	}
	dst.Inspect(file, func(n dst.Node) bool {
		if done {
			return false
		}
		switch n := n.(type) {
		case *dst.BlockStmt:
			replaceIn(n.List)
		case *dst.CaseClause:
			replaceIn(n.Body)
		case *dst.CommClause:
			replaceIn(n.Body)
		}
		return true
	})
	if !done {
		return fmt.Errorf("statement not found in its block")
	}
	return nil
}
