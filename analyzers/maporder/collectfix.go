package maporder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// This file holds the rewrite a maintainer writes by hand for the most
// common shape: a loop that only collects elements of an ordered type into
// a fresh slice. Sorting the slice once after the loop (collect, then
// sort) is cheaper than ranging over sorted keys: no slice of keys, no
// lookup per entry, and only the collected elements are sorted. When the
// loop collects the keys themselves into a nil slice, the whole thing is
// slices.Sorted(maps.Keys(m)).

// collected is a loop that only appends to one fresh local slice.
type collected struct {
	slice *types.Var     // the slice the loop appends to
	elem  types.Type     // its element type (ordered)
	at    rewrite.Place  // the loop in its block
	decl  ast.Stmt       // the statement that declares the slice empty
	nilOK bool           // decl is `var s []T`: nil until the loop appends
	keyOf ast.Expr       // the map, when the loop appends exactly its keys (s = append(s, k))
	notes []string       // keyOf: the comments inside the loop
	block *ast.BlockStmt // the block of decl and loop
}

// collectOnly recognises a loop whose only effect on ordered output is
// one append of one element per entry to a slice declared empty just
// before it, of an element type that sorts with <, that the loop does not
// read. ok is false for any other loop: with several elements per entry
// (a nested loop, append(s, a, b), two appends) the elements' order
// carries grouping that a sort of the elements would break.
func collectOnly(pass *analysis.Pass, file *ast.File, rs *ast.RangeStmt, m ast.Expr) (collected, bool) {
	info := pass.TypesInfo
	var c collected
	appends := 0
	ok := true
	ast.Inspect(rs.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			// Several elements per entry (a header and its items): sorting
			// the elements would break up the groups, so only sorting
			// the keys keeps them.
			if mentionsAppend(n) {
				ok = false
				return false
			}
		}
		as, isAssign := n.(*ast.AssignStmt)
		if !isAssign || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return true
		}
		id, isID := as.Lhs[0].(*ast.Ident)
		call, isCall := as.Rhs[0].(*ast.CallExpr)
		if !isID || !isCall || len(call.Args) < 2 || call.Ellipsis.IsValid() {
			return true
		}
		if len(call.Args) != 2 {
			ok = false // append(s, a, b): two elements per entry
			return false
		}
		fun, isFun := call.Fun.(*ast.Ident)
		arg0, isArg := call.Args[0].(*ast.Ident)
		if !isFun || fun.Name != "append" || !isArg || arg0.Name != id.Name {
			return true
		}
		if _, builtin := info.Uses[fun].(*types.Builtin); !builtin {
			return true
		}
		v, isVar := info.Uses[id].(*types.Var)
		if !isVar || (c.slice != nil && c.slice != v) {
			ok = false
			return false
		}
		c.slice = v
		appends++
		return true
	})
	if !ok || c.slice == nil || c.slice.Pos() >= rs.Pos() || appends != 1 {
		return c, false
	}
	c.elem = elemOf(c.slice.Type())
	if c.elem == nil || !isOrdered(c.elem) {
		return c, false
	}
	// The loop may not read the slice except to append to it
	// (len(s) >= limit would make the sorted result another set).
	uses := 0
	ast.Inspect(rs, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && info.Uses[id] == c.slice {
			uses++
		}
		return true
	})
	if uses != 2*appends {
		return c, false
	}
	path, _ := astutil.PathEnclosingInterval(file, rs.Pos(), rs.End())
	at, placed := rewrite.PlaceOf(path)
	if !placed {
		return c, false
	}
	block, isBlock := at.Block.(*ast.BlockStmt)
	if !isBlock || at.Stmt != rs {
		return c, false // a labeled loop, a case clause: keep to plain blocks
	}
	c.at, c.block = at, block
	// The slice is declared empty in the same block, with nothing
	// touching it between the declaration and the loop.
	idx := -1
	for i, st := range block.List {
		if st == ast.Stmt(rs) {
			idx = i
		}
	}
	for i := idx - 1; i >= 0; i-- {
		st := block.List[i]
		if decl, empty, isNil := declaresEmpty(info, st, c.slice); decl {
			if !empty {
				return c, false
			}
			c.decl, c.nilOK = st, isNil
			break
		}
		if mentionsObj(info, st, c.slice) {
			return c, false
		}
	}
	if c.decl == nil {
		return c, false
	}
	// s = append(s, k) alone, over a map's keys, right after var s []K:
	// slices.Sorted(maps.Keys(m)).
	if len(rs.Body.List) == 1 && appends == 1 && c.nilOK && pure(info, m) && idx > 0 && block.List[idx-1] == c.decl &&
		!commented(pass.Fset, file, rs) {
		if as, isAssign := rs.Body.List[0].(*ast.AssignStmt); isAssign && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			call, isCall := as.Rhs[0].(*ast.CallExpr)
			key, isKey := rs.Key.(*ast.Ident)
			_, overMap := info.TypeOf(rs.X).Underlying().(*types.Map)
			if isCall && len(call.Args) == 2 && isKey && overMap && info.Defs[key] != nil {
				arg, isArg := call.Args[1].(*ast.Ident)
				if isArg && info.Uses[arg] == info.Defs[key] && types.Identical(info.TypeOf(key), c.elem) {
					c.keyOf, c.notes = m, inside(file, rs)
				}
			}
		}
	}
	return c, true
}

// mentionsAppend reports whether n calls append.
func mentionsAppend(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "append" {
				found = true
			}
		}
		return !found
	})
	return found
}

// commented reports whether a comment sits on the line above rs: it
// describes the loop, which the collapse drops.
func commented(fset *token.FileSet, file *ast.File, rs *ast.RangeStmt) bool {
	line := fset.Position(rs.Pos()).Line
	for _, cg := range file.Comments {
		if fset.Position(cg.End()).Line == line-1 && cg.End() < rs.Pos() {
			return true
		}
	}
	return false
}

// inside returns the comments within rs, which the collapse keeps at the
// end of the line that replaces the loop.
func inside(file *ast.File, rs *ast.RangeStmt) []string {
	var out []string
	for _, cg := range file.Comments {
		if cg.Pos() >= rs.Pos() && cg.End() <= rs.End() {
			for _, c := range cg.List {
				out = append(out, c.Text)
			}
		}
	}
	return out
}

// declaresEmpty reports whether st declares v, and whether it starts empty:
// var s []T, s := []T{}, s := make([]T, 0[, n]); isNil for var s []T.
func declaresEmpty(info *types.Info, st ast.Stmt, v *types.Var) (decl, empty, isNil bool) {
	switch st := st.(type) {
	case *ast.DeclStmt:
		gd, ok := st.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return false, false, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		for i, name := range vs.Names {
			if info.Defs[name] != v {
				continue
			}
			if len(vs.Values) == 0 {
				return true, true, true
			}
			if len(vs.Values) == len(vs.Names) {
				return true, emptySlice(info, vs.Values[i]), false
			}
			return true, false, false
		}
	case *ast.AssignStmt:
		if st.Tok != token.DEFINE || len(st.Lhs) != len(st.Rhs) {
			return false, false, false
		}
		for i, lhs := range st.Lhs {
			if id, ok := lhs.(*ast.Ident); ok && info.Defs[id] == v {
				return true, emptySlice(info, st.Rhs[i]), false
			}
		}
	}
	return false, false, false
}

// emptySlice reports whether e is an empty slice: []T{} or make([]T, 0, n).
func emptySlice(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return len(e.Elts) == 0
	case *ast.CallExpr:
		fun, ok := ast.Unparen(e.Fun).(*ast.Ident)
		if !ok || fun.Name != "make" || len(e.Args) < 2 {
			return false
		}
		if _, builtin := info.Uses[fun].(*types.Builtin); !builtin {
			return false
		}
		tv := info.Types[e.Args[1]]
		return tv.Value != nil && tv.Value.String() == "0"
	}
	return false
}

// mentionsObj reports whether n refers to obj.
func mentionsObj(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// sortCollectedFix sorts the slice a collect-only loop fills, once, after
// the loop; or, for keys collected into a nil slice on go1.23, replaces
// the declaration and the loop with s := slices.Sorted(maps.Keys(m)).
func sortCollectedFix(pass *analysis.Pass, file *ast.File, rs *ast.RangeStmt, c collected) (analysis.SuggestedFix, error) {
	name := c.slice.Name()
	if c.keyOf != nil && rewrite.FileAtLeast(pass, file, "go1.23") {
		for _, p := range []string{"slices", "maps"} {
			if err := rewrite.CanName(pass, file, rs.Pos(), p); err != nil {
				return analysis.SuggestedFix{}, err
			}
		}
		if _, isDecl := c.decl.(*ast.DeclStmt); isDecl { // declared in c.block, right before the loop
			msg := fmt.Sprintf("collect the keys sorted: %s := slices.Sorted(maps.Keys(...))", name)
			return rewrite.Fix(pass, rs.Pos(), tier.Behavior, msg, func(f *rewrite.File) error {
				return collapse(f, c, rs, name)
			})
		}
	}
	pkgs := []string{"slices"}
	if !rewrite.FileAtLeast(pass, file, "go1.21") {
		pkgs = []string{"sort"}
	}
	for _, p := range pkgs {
		if err := rewrite.CanName(pass, file, rs.End(), p); err != nil {
			return analysis.SuggestedFix{}, err
		}
	}
	msg := fmt.Sprintf("sort %s once after the loop", name)
	return rewrite.Fix(pass, rs.Pos(), tier.Behavior, msg, func(f *rewrite.File) error {
		return rewrite.Splice(f, c.at, []dst.Stmt{&dst.ExprStmt{X: sortSlice(f, name, c.elem)}}, true)
	})
}

// collapse replaces `var s []K` and the loop that appends m's keys to it
// with s := slices.Sorted(maps.Keys(m)), in the declaration's place (its
// comments stay), and drops the loop.
func collapse(f *rewrite.File, c collected, rs *ast.RangeStmt, name string) error {
	list := f.StmtList(c.block)
	if list == nil {
		return fmt.Errorf("block not found in the decorated file")
	}
	dm, ok := f.Expr(c.keyOf).(dst.Expr)
	if !ok || dm == nil {
		return fmt.Errorf("map expression not found in the decorated file")
	}
	sorted := &dst.CallExpr{
		Fun: rewrite.Sel(rewrite.AddImport(f, "slices"), "Sorted"),
		Args: []dst.Expr{&dst.CallExpr{
			Fun:  rewrite.Sel(rewrite.AddImport(f, "maps"), "Keys"),
			Args: []dst.Expr{dst.Clone(dm).(dst.Expr)},
		}},
	}
	decl, loop := f.Stmt(c.decl), f.Stmt(rs)
	out := make([]dst.Stmt, 0, len(*list))
	for _, s := range *list {
		switch s {
		case decl:
			as := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(name)}, Tok: token.DEFINE, Rhs: []dst.Expr{sorted}}
			as.Decs.Before, as.Decs.Start = s.Decorations().Before, s.Decorations().Start
			as.Decs.After, as.Decs.End = s.Decorations().After, append(s.Decorations().End, c.notes...)
			out = append(out, as)
		case loop:
			// Dropped: collectOnly saw no comment in it or above it.
		default:
			out = append(out, s)
		}
	}
	*list = out
	return nil
}
