package rewrite

import (
	"fmt"
	"go/ast"

	"github.com/dave/dst"
	"golang.org/x/tools/go/ast/astutil"
)

// This file holds statement splicing: inserting new statements next to an
// existing one while comments stay with what they describe.

// InsertBefore places stmts in the block holding the statement st (or the
// labeled statement around it). Comments above st move to the first new
// statement, so they stay at the top of what they describe.
func InsertBefore(f *File, file *ast.File, st ast.Stmt, stmts []dst.Stmt) error {
	path, _ := astutil.PathEnclosingInterval(file, st.Pos(), st.End())
	at, ok := PlaceOf(path)
	if !ok {
		return fmt.Errorf("the statement is not in a block")
	}
	return Splice(f, at, stmts, false)
}

// Splice inserts stmts before (or after) the statement at, each on its
// own line. Inserted before, the first takes over the comments above the
// statement.
func Splice(f *File, at Place, stmts []dst.Stmt, after bool) error {
	list := f.StmtList(at.Block)
	if list == nil {
		return fmt.Errorf("block not found in the decorated file")
	}
	for _, s := range stmts {
		s.Decorations().Before, s.Decorations().After = dst.NewLine, dst.NewLine
	}
	target := f.Stmt(at.Stmt)
	for i, s := range *list {
		if s != target {
			continue
		}
		if after {
			i++
		} else {
			td, first := target.Decorations(), stmts[0].Decorations()
			first.Before, first.Start = td.Before, td.Start
			td.Before, td.Start = dst.NewLine, nil
		}
		out := append([]dst.Stmt{}, (*list)[:i]...)
		out = append(out, stmts...)
		*list = append(out, (*list)[i:]...)
		return nil
	}
	return fmt.Errorf("statement not found in its block")
}

// Place is a statement directly inside a block, case or select clause:
// where statements can be spliced in before or after it.
type Place struct {
	Block ast.Node
	Stmt  ast.Stmt
}

// PlaceOf finds, in the path from a statement up to the file, the block
// that holds it, taking a labeled statement with its label.
func PlaceOf(path []ast.Node) (Place, bool) {
	if len(path) < 2 {
		return Place{}, false
	}
	st, ok := path[0].(ast.Stmt)
	if !ok {
		return Place{}, false
	}
	i := 1
	if ls, ok := path[1].(*ast.LabeledStmt); ok {
		st, i = ls, 2
	}
	if i >= len(path) {
		return Place{}, false
	}
	switch path[i].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return Place{Block: path[i], Stmt: st}, true
	}
	return Place{}, false
}
