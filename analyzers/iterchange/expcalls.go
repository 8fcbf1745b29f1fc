package iterchange

import (
	"fmt"
	"go/ast"
	"go/types"
	"go/version"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// stdSlicesSince maps the x/exp/slices functions that exist in the standard
// slices package to the Go version that added them there.
var stdSlicesSince = map[string]string{
	"BinarySearch": "go1.21", "BinarySearchFunc": "go1.21", "Clip": "go1.21",
	"Clone": "go1.21", "Compact": "go1.21", "CompactFunc": "go1.21",
	"Compare": "go1.21", "CompareFunc": "go1.21", "Contains": "go1.21",
	"ContainsFunc": "go1.21", "Delete": "go1.21", "DeleteFunc": "go1.21",
	"Equal": "go1.21", "EqualFunc": "go1.21", "Grow": "go1.21", "Index": "go1.21",
	"IndexFunc": "go1.21", "Insert": "go1.21", "IsSorted": "go1.21",
	"IsSortedFunc": "go1.21", "Max": "go1.21", "MaxFunc": "go1.21", "Min": "go1.21",
	"MinFunc": "go1.21", "Replace": "go1.21", "Reverse": "go1.21", "Sort": "go1.21",
	"SortFunc": "go1.21", "SortStableFunc": "go1.21", "Concat": "go1.22",
	"Repeat": "go1.23", "Chunk": "go1.23",
}

// zeroingSlices are the standard slices functions that, since Go 1.22, clear
// the elements between the new and the old length, which the x/exp versions
// left in place.
var zeroingSlices = map[string]bool{
	"Delete": true, "DeleteFunc": true, "Compact": true, "CompactFunc": true, "Replace": true,
}

// cmpChanged are the x/exp/slices functions whose comparator went from
// less func(a, b T) bool to cmp func(a, b T) int.
var cmpChanged = map[string]bool{
	"SortFunc": true, "SortStableFunc": true, "IsSortedFunc": true,
	"MinFunc": true, "MaxFunc": true, "BinarySearchFunc": true,
}

// stdMapsMoved are the x/exp/maps functions with an unchanged standard
// replacement (since Go 1.21).
var stdMapsMoved = map[string]string{
	"Clone": "the standard maps.Clone", "Copy": "the standard maps.Copy",
	"DeleteFunc": "the standard maps.DeleteFunc", "Equal": "the standard maps.Equal",
	"EqualFunc": "the standard maps.EqualFunc", "Clear": "the builtin clear(m)",
}

// findExpCalls reports the migration points of x/exp/maps and x/exp/slices.
func findExpCalls(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	var out []finding
	for fileCur := range insp.Root().Preorder((*ast.File)(nil)) {
		goVersion := pass.TypesInfo.FileVersions[fileCur.Node().(*ast.File)]
		// Below go1.21 the standard packages do not exist yet: the plain
		// moves are not actionable, the behaviour changes still are.
		movable := func(since string) bool {
			return !version.IsValid(goVersion) || version.Compare(goVersion, since) >= 0
		}
		for cur := range fileCur.Preorder((*ast.CallExpr)(nil)) {
			call := cur.Node().(*ast.CallExpr)
			fn := kit.Callee(pass.TypesInfo, call)
			// x/exp's own packages and tests call themselves; that is
			// not a migration point.
			if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil || fn.Pkg() == pass.Pkg {
				continue
			}
			switch fn.Pkg().Path() {
			case expMapsPath:
				if f, ok := expMapsFinding(pass, cur, call, fn, movable); ok {
					out = append(out, f)
				}
			case expSlicesPath:
				if f, ok := expSlicesFinding(call, fn, movable); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func expMapsFinding(pass *analysis.Pass, cur inspector.Cursor, call *ast.CallExpr, fn *types.Func, movable func(string) bool) (finding, bool) {
	name := fn.Name()
	shown := qualifiedName(call, fn)
	if name != "Keys" && name != "Values" {
		repl, ok := stdMapsMoved[name]
		if !ok || !movable("go1.21") {
			return finding{}, false
		}
		return finding{
			kind:    kindExpMaps,
			hazard:  call,
			message: fmt.Sprintf("%s from golang.org/x/exp/maps is in the standard library since go1.21: use %s", shown, repl),
		}, true
	}
	if len(call.Args) != 1 {
		return finding{}, false
	}
	arg := render(call.Args[0])
	msg := fmt.Sprintf("%s(%s) from golang.org/x/exp/maps returns a slice; the standard maps.%s returns a lazy iter.Seq: ", shown, arg, name)
	if sortCall, sortFn := sortedRightAfter(pass, cur); sortCall != nil {
		repl := fmt.Sprintf("slices.Sorted(maps.%s(%s))", name, arg)
		switch sortFn.Name() {
		case "SortFunc", "Slice", "Sort":
			repl = fmt.Sprintf("slices.SortedFunc(maps.%s(%s), cmp)", name, arg)
		case "SortStableFunc", "SliceStable", "Stable":
			repl = fmt.Sprintf("slices.SortedStableFunc(maps.%s(%s), cmp)", name, arg)
		}
		if sortFn.Name() == "Sort" && sortFn.Pkg().Path() != "sort" {
			repl = fmt.Sprintf("slices.Sorted(maps.%s(%s))", name, arg)
		}
		msg += fmt.Sprintf("migrate to %s, which also replaces the %s call, to keep a sorted slice", repl, render(sortCall.Fun))
	} else {
		msg += fmt.Sprintf("migrate to slices.Collect(maps.%s(%s)) (or slices.Sorted) to keep a slice", name, arg)
	}
	f := finding{kind: kindExpMaps, hazard: call}
	if body, ok := enclosingBody(cur); ok {
		if s, ok := newFlow(pass, body).sinkOf(cur, 0, false); ok {
			msg += fmt.Sprintf("; the result reaches %s, and slices.Collect returns nil for an empty map where this returned []: %s, so keep it non-nil",
				s.what, s.consequence())
			f.sink, f.sinkNote = s.node, s.note()
		}
	}
	f.message = msg
	return f, true
}

func expSlicesFinding(call *ast.CallExpr, fn *types.Func, movable func(string) bool) (finding, bool) {
	name := fn.Name()
	shown := qualifiedName(call, fn)
	if cmpChanged[name] && takesLess(fn) {
		return finding{
			kind:   kindExpSlicesCmp,
			hazard: call,
			message: fmt.Sprintf("%s from golang.org/x/exp/slices takes a less func(a, b T) bool in the x/exp version in use; "+
				"the standard slices.%s (and newer x/exp) takes cmp func(a, b T) int: rewrite the comparator to return <0, 0 or >0 "+
				"(cmp.Compare, strings.Compare), with 0 for equal elements, when switching", shown, name),
		}, true
	}
	since, ok := stdSlicesSince[name]
	if !ok || !movable(since) {
		return finding{}, false
	}
	msg := fmt.Sprintf("%s from golang.org/x/exp/slices is in the standard library since %s: import \"slices\" instead", shown, since)
	if zeroingSlices[name] {
		msg += " (the standard version also zeroes the elements past the new length)"
	}
	return finding{kind: kindExpSlicesMoved, hazard: call, message: msg}, true
}

// takesLess reports whether fn's last parameter is a func(a, b T) bool, the
// comparator shape of x/exp/slices before it adopted cmp functions.
func takesLess(fn *types.Func) bool {
	params := fn.Signature().Params()
	if params.Len() == 0 {
		return false
	}
	sig, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 1 {
		return false
	}
	basic, ok := sig.Results().At(0).Type().Underlying().(*types.Basic)
	return ok && basic.Kind() == types.Bool
}

// sortedRightAfter returns the sort call (and its callee) that immediately
// follows the assignment of the call at cur to a variable and sorts that
// variable.
func sortedRightAfter(pass *analysis.Pass, cur inspector.Cursor) (*ast.CallExpr, *types.Func) {
	parent := cur.Parent()
	var obj types.Object
	stmt := parent
	switch p := parent.Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 {
			return nil, nil
		}
		if id, ok := p.Lhs[0].(*ast.Ident); ok {
			obj = pass.TypesInfo.ObjectOf(id)
		}
	case *ast.ValueSpec:
		if len(p.Names) != 1 || len(p.Values) != 1 {
			return nil, nil
		}
		obj = pass.TypesInfo.ObjectOf(p.Names[0])
		stmt = parent.Parent().Parent() // ValueSpec -> GenDecl -> DeclStmt
	}
	if obj == nil {
		return nil, nil
	}
	next, ok := stmt.NextSibling()
	if !ok {
		return nil, nil
	}
	es, ok := next.Node().(*ast.ExprStmt)
	if !ok {
		return nil, nil
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil, nil
	}
	fn := kit.Callee(pass.TypesInfo, call)
	if !kit.IsPkgFunc(fn, "sort", "Strings", "Ints", "Float64s", "Slice", "SliceStable", "Sort", "Stable") &&
		!kit.IsPkgFunc(fn, "slices", "Sort", "SortFunc", "SortStableFunc") &&
		!kit.IsPkgFunc(fn, expSlicesPath, "Sort", "SortFunc", "SortStableFunc") {
		return nil, nil
	}
	arg := ast.Unparen(call.Args[0])
	if conv, ok := arg.(*ast.CallExpr); ok && len(conv.Args) == 1 {
		if tv, ok := pass.TypesInfo.Types[conv.Fun]; ok && tv.IsType() {
			arg = ast.Unparen(conv.Args[0]) // sort.Sort(sort.StringSlice(keys))
		}
	}
	if id, ok := arg.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == obj {
		return call, fn
	}
	return nil, nil
}
