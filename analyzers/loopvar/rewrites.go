// This file holds the rewrite behind the loopvar analyzer's
// suggested fix: an explicit per-iteration copy of the loop variables, so
// that the loop means the same on both sides of the go1.22 line.

package loopvar

import (
	"fmt"
	"go/ast"
	"go/token"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// copyPerIterationFix inserts `v := v` (or `k, v := k, v`) as the first
// statement of the loop's body for the named loop variables. From then on
// every iteration has its own variable, as go1.22 gives it, so raising the
// go line no longer changes the loop. Under the file's current go line the
// change is visible (the aliasing goes away), so the tier is behavior.
//
// The caller checks that a three-clause loop's body does not assign the
// variables: with a copy such an assignment would no longer reach the
// post statement.
func copyPerIterationFix(pass *analysis.Pass, loop ast.Stmt, names []string) (analysis.SuggestedFix, error) {
	if len(names) == 0 {
		return analysis.SuggestedFix{}, fmt.Errorf("no named loop variable to copy")
	}
	msg := "give each iteration its own " + names[0]
	for _, n := range names[1:] {
		msg += ", " + n
	}
	return rewrite.Fix(pass, loop.Pos(), tier.Behavior, msg+" (go1.22 semantics)", func(f *rewrite.File) error {
		var body *dst.BlockStmt
		switch l := f.Stmt(loop).(type) {
		case *dst.RangeStmt:
			body = l.Body
		case *dst.ForStmt:
			body = l.Body
		default:
			return fmt.Errorf("loop not found in the decorated file")
		}
		copyStmt := &dst.AssignStmt{Tok: token.DEFINE}
		for _, n := range names {
			copyStmt.Lhs = append(copyStmt.Lhs, dst.NewIdent(n))
			copyStmt.Rhs = append(copyStmt.Rhs, dst.NewIdent(n))
		}
		copyStmt.Decs.Before = dst.NewLine
		copyStmt.Decs.After = dst.NewLine
		copyStmt.Decs.End.Append("// per-iteration copy: the loop means the same before and after go1.22")
		body.List = append([]dst.Stmt{copyStmt}, body.List...)
		return nil
	})
}
