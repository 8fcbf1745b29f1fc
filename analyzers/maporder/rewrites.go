// This file holds the rewrites behind the maporder analyzer's
// suggested fixes: a loop over a map visits the keys in sorted order, and a
// slice collected from a map is sorted where it is made.
//
// Both are behavior-tier: the sorted order is one the old code could see
// in principle, but not one it saw in practice. Small maps iterate in
// rotations of their insertion order, Go 1.24's Swiss tables iterate in
// yet other patterns, and tests (or consumers) that pinned the order they
// happened to get see the change: one run of fix on nats-server failed a
// test that had passed 15 times in a row.

package maporder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// rangeKind says what a range statement ranges over.
type rangeKind int

const (
	overMap    rangeKind = iota // for k, v := range m
	overKeys                    // for k := range maps.Keys(m)
	overValues                  // for v := range maps.Values(m)
	overAll                     // for k, v := range maps.All(m)
)

// loop is a range statement over a map, checked for the rewrite.
type loop struct {
	pass   *analysis.Pass
	file   *ast.File
	rs     *ast.RangeStmt
	m      ast.Expr // the map
	kind   rangeKind
	keyT   types.Type
	keyVar *ast.Ident // nil when the loop has no key variable (or _)
	valVar *ast.Ident // nil when the loop has no value variable (or _)
	fn     ast.Node   // the outermost function around the loop
	// temp names the variable that holds a map expression that is not a
	// plain variable, evaluated once before the loop; "" if none.
	temp string
}

// sortedRangeFix rewrites a range over the map m (directly, or through
// maps.Keys, maps.Values or maps.All of it) into a range over its keys in
// sorted order; the value, if the loop uses it, is read as m[k] at the top
// of the body. Files on go1.23 or later get
// `for _, k := range slices.Sorted(maps.Keys(m))`; older files collect the
// keys into a slice before the loop and sort it with slices.Sort (go1.21),
// or sort.Strings, sort.Ints or sort.Slice.
//
// The error says why a loop cannot be rewritten: the key type is not
// ordered, the loop changes the map, the map expression has side effects...
func sortedRangeFix(pass *analysis.Pass, rs *ast.RangeStmt, m ast.Expr) (analysis.SuggestedFix, error) {
	l, err := check(pass, rs, m)
	if err != nil {
		return analysis.SuggestedFix{}, err
	}
	msg := "range over the keys in sorted order"
	return rewrite.Fix(pass, rs.Pos(), tier.Behavior, msg, l.edit)
}

// check decides whether the loop can be rewritten.
func check(pass *analysis.Pass, rs *ast.RangeStmt, m ast.Expr) (*loop, error) {
	l := &loop{pass: pass, rs: rs, m: m}
	for _, f := range pass.Files {
		if f.FileStart <= rs.Pos() && rs.End() <= f.FileEnd {
			l.file = f
		}
	}
	if l.file == nil {
		return nil, fmt.Errorf("the loop is not in a file of the package")
	}
	info := pass.TypesInfo
	switch {
	case ast.Unparen(rs.X) == ast.Unparen(m):
		l.kind = overMap
	default:
		call, ok := ast.Unparen(rs.X).(*ast.CallExpr)
		if !ok {
			return nil, fmt.Errorf("the loop does not range over the map or a maps sequence of it")
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil {
			return nil, fmt.Errorf("the loop does not range over the map or a maps sequence of it")
		}
		switch fn.Name() {
		case "Keys":
			l.kind = overKeys
		case "Values":
			l.kind = overValues
		case "All":
			l.kind = overAll
		default:
			return nil, fmt.Errorf("the loop ranges over maps.%s", fn.Name())
		}
	}
	if rs.Tok == token.ASSIGN {
		return nil, fmt.Errorf("the loop assigns to variables declared outside it")
	}
	mt, ok := types.Unalias(info.TypeOf(m)).Underlying().(*types.Map)
	if !ok {
		return nil, fmt.Errorf("the map's type is a type parameter")
	}
	l.keyT = mt.Key()
	named := func(e ast.Expr) *ast.Ident {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			return id
		}
		return nil
	}
	switch l.kind {
	case overMap, overAll:
		l.keyVar, l.valVar = named(rs.Key), named(rs.Value)
	case overKeys:
		l.keyVar = named(rs.Key)
	case overValues:
		l.valVar = named(rs.Key)
	}
	if !isOrdered(l.keyT) {
		return nil, fmt.Errorf("the key type %s has no order to sort by: sort the entries with a comparison of your own",
			types.TypeString(l.keyT, types.RelativeTo(pass.Pkg)))
	}
	if l.valVar != nil && isFloat(l.keyT) {
		return nil, fmt.Errorf("the keys are floats and a NaN key cannot be looked up to read its value")
	}
	path, _ := astutil.PathEnclosingInterval(l.file, rs.Pos(), rs.End())
	for _, n := range path {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			l.fn = n
		}
	}
	if l.fn == nil {
		return nil, fmt.Errorf("the loop is not in a function")
	}
	if l.valVar != nil {
		if scope := info.Scopes[rs.Body]; scope != nil && scope.Lookup(l.valVar.Name) != nil {
			return nil, fmt.Errorf("the loop body declares its own %s, which the value read at its top would collide with", l.valVar.Name)
		}
		// The body reads m[k]: m must mean the same map there.
		switch {
		case !pure(info, m):
			// A call, an index or an assertion: evaluate it once, into
			// a variable declared before the loop.
			if _, ok := rewrite.PlaceOf(path); !ok {
				return nil, fmt.Errorf("the map expression %s is not a plain variable and the loop is not a statement of a block, where it could be held in one", types.ExprString(m))
			}
			l.temp = rewrite.FreshName(l.fn, "m", "entries", "byKey")
		case l.keyVar != nil && mentions(m, l.keyVar.Name):
			return nil, fmt.Errorf("the map expression %s mentions the key's name %s", types.ExprString(m), l.keyVar.Name)
		}
	}
	if why := changesMap(info, rs.Body, m); why != "" {
		return nil, fmt.Errorf("%s: keys sorted before the loop would not follow the change", why)
	}
	if l.valVar != nil && !rewrite.FileAtLeast(pass, l.file, "go1.22") {
		if why := escapes(info, rs.Body, info.Defs[l.valVar]); why != "" {
			return nil, fmt.Errorf("before go1.22 the loop's %s is shared by all iterations and %s: a per-iteration copy would change what it sees", l.valVar.Name, why)
		}
	}
	if !rewrite.FileAtLeast(pass, l.file, "go1.23") {
		if l.kind != overMap {
			return nil, fmt.Errorf("the file's Go version is older than go1.23")
		}
		if _, err := rewrite.TypeExpr(pass, l.file, l.keyT); err != nil {
			return nil, err
		}
		if _, ok := rewrite.PlaceOf(path); !ok {
			return nil, fmt.Errorf("the loop is not a statement of a block, so the keys cannot be collected before it")
		}
	}
	for _, imp := range l.imports() {
		if err := rewrite.CanName(pass, l.file, rs.Pos(), imp); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// imports lists the packages the rewrite of l calls.
func (l *loop) imports() []string {
	switch {
	case rewrite.FileAtLeast(l.pass, l.file, "go1.23"):
		return []string{"slices", "maps"}
	case rewrite.FileAtLeast(l.pass, l.file, "go1.21"):
		return []string{"slices"}
	}
	return []string{"sort"}
}

// edit rewrites the loop in the decorated file.
func (l *loop) edit(f *rewrite.File) error {
	drs, ok := f.Stmt(l.rs).(*dst.RangeStmt)
	if !ok {
		return fmt.Errorf("loop not found in the decorated file")
	}
	key := rewrite.FreshName(l.fn, "k", "key", "mapKey")
	if l.keyVar != nil {
		key = l.keyVar.Name
	}
	dm, ok := f.Expr(l.m).(dst.Expr)
	if !ok || dm == nil {
		return fmt.Errorf("map expression not found in the decorated file")
	}
	mapExpr := func() dst.Expr { return dst.Clone(dm).(dst.Expr) }
	var before []dst.Stmt
	if l.temp != "" {
		before = append(before, &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(l.temp)}, Tok: token.DEFINE, Rhs: []dst.Expr{mapExpr()}})
		mapExpr = func() dst.Expr { return dst.NewIdent(l.temp) }
	}

	if f.AtLeast("go1.23") {
		slicesName := rewrite.AddImport(f, "slices")
		var keysCall dst.Expr
		if l.kind == overKeys {
			keysCall = drs.X // maps.Keys(m) as written
		} else {
			mapsName := rewrite.AddImport(f, "maps")
			keysCall = &dst.CallExpr{Fun: rewrite.Sel(mapsName, "Keys"), Args: []dst.Expr{mapExpr()}}
		}
		drs.X = &dst.CallExpr{Fun: rewrite.Sel(slicesName, "Sorted"), Args: []dst.Expr{keysCall}}
	} else {
		stmts, keys, err := l.collect(f, key, mapExpr)
		if err != nil {
			return err
		}
		before = append(before, stmts...)
		drs.X = dst.NewIdent(keys)
	}
	if len(before) > 0 {
		if err := rewrite.InsertBefore(f, l.file, l.rs, before); err != nil {
			return err
		}
	}
	drs.Key = dst.NewIdent("_")
	drs.Value = dst.NewIdent(key)
	drs.Tok = token.DEFINE
	if l.valVar != nil {
		read := &dst.AssignStmt{
			Lhs: []dst.Expr{dst.NewIdent(l.valVar.Name)},
			Tok: token.DEFINE,
			Rhs: []dst.Expr{&dst.IndexExpr{X: mapExpr(), Index: dst.NewIdent(key)}},
		}
		read.Decs.Before = dst.NewLine
		read.Decs.After = dst.NewLine
		drs.Body.List = append([]dst.Stmt{read}, drs.Body.List...)
	}
	return nil
}

// collect returns the statements that gather the keys of the map into a
// sorted slice before the loop, and the slice's name.
func (l *loop) collect(f *rewrite.File, key string, mapExpr func() dst.Expr) ([]dst.Stmt, string, error) {
	// Named after the map: fixes of several loops in one function are
	// applied together, each choosing names against the original code, so
	// a shared "keys" would be declared twice.
	keys := rewrite.FreshName(l.fn, keysName(l.m), "keys", "sortedKeys", "mapKeys")
	kt, err := rewrite.TypeExpr(l.pass, l.file, l.keyT)
	if err != nil {
		return nil, "", err
	}
	mk := &dst.AssignStmt{
		Lhs: []dst.Expr{dst.NewIdent(keys)},
		Tok: token.DEFINE,
		Rhs: []dst.Expr{&dst.CallExpr{
			Fun: dst.NewIdent("make"),
			Args: []dst.Expr{
				&dst.ArrayType{Elt: kt},
				&dst.BasicLit{Kind: token.INT, Value: "0"},
				&dst.CallExpr{Fun: dst.NewIdent("len"), Args: []dst.Expr{mapExpr()}},
			},
		}},
	}
	gather := &dst.RangeStmt{
		Key: dst.NewIdent(key),
		Tok: token.DEFINE,
		X:   mapExpr(),
		Body: &dst.BlockStmt{List: []dst.Stmt{&dst.AssignStmt{
			Lhs: []dst.Expr{dst.NewIdent(keys)},
			Tok: token.ASSIGN,
			Rhs: []dst.Expr{&dst.CallExpr{Fun: dst.NewIdent("append"), Args: []dst.Expr{dst.NewIdent(keys), dst.NewIdent(key)}}},
		}}},
	}
	return []dst.Stmt{mk, gather, &dst.ExprStmt{X: sortSlice(f, keys, l.keyT)}}, keys, nil
}

// sortedCollectFix rewrites a slice collected from a map in iteration order
// so it comes out sorted: slices.Collect(maps.Keys(m)) becomes
// slices.Sorted(maps.Keys(m)), slices.AppendSeq(s, seq) becomes
// append(s, slices.Sorted(seq)...), a set's UnsortedList() becomes its
// List(), and `keys := maps.Keys(m)` (golang.org/x/exp/maps) is followed by
// a sort of keys.
func sortedCollectFix(pass *analysis.Pass, call *ast.CallExpr) (analysis.SuggestedFix, error) {
	info := pass.TypesInfo
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is dynamic")
	}
	file := rewrite.FileOf(pass, call)
	if file == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is not in a file of the package")
	}
	sl, ok := info.TypeOf(call).Underlying().(*types.Slice)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("the call does not return a slice")
	}
	elem := sl.Elem()
	pkg, name := fn.Pkg().Path(), fn.Name()
	recv := fn.Signature().Recv()
	if !isOrdered(elem) && !(recv != nil && name == "UnsortedList") {
		return analysis.SuggestedFix{}, fmt.Errorf("the element type %s has no order to sort by: sort the slice with a comparison of your own",
			types.TypeString(elem, types.RelativeTo(pass.Pkg)))
	}
	switch {
	case pkg == "slices" && name == "Collect":
		if err := rewrite.CanName(pass, file, call.Pos(), "slices"); err != nil {
			return analysis.SuggestedFix{}, err
		}
		return rewrite.Fix(pass, call.Pos(), tier.Behavior, "collect the sequence sorted: slices.Sorted", func(f *rewrite.File) error {
			d, ok := f.Expr(call).(*dst.CallExpr)
			if !ok {
				return fmt.Errorf("call not found in the decorated file")
			}
			d.Fun = rewrite.Sel(rewrite.AddImport(f, "slices"), "Sorted")
			return nil
		})
	case pkg == "slices" && name == "AppendSeq":
		if err := rewrite.CanName(pass, file, call.Pos(), "slices"); err != nil {
			return analysis.SuggestedFix{}, err
		}
		if obj := rewrite.Lookup(pass, file, call.Pos(), "append"); obj != nil {
			if _, ok := obj.(*types.Builtin); !ok {
				return analysis.SuggestedFix{}, fmt.Errorf("the name append is taken here")
			}
		}
		return rewrite.Fix(pass, call.Pos(), tier.Behavior, "append the sequence sorted: append(s, slices.Sorted(seq)...)", func(f *rewrite.File) error {
			d, ok := f.Expr(call).(*dst.CallExpr)
			if !ok || len(d.Args) != 2 {
				return fmt.Errorf("call not found in the decorated file")
			}
			sorted := &dst.CallExpr{Fun: rewrite.Sel(rewrite.AddImport(f, "slices"), "Sorted"), Args: []dst.Expr{d.Args[1]}}
			d.Fun = dst.NewIdent("append")
			d.Args[1] = sorted
			d.Ellipsis = true
			return nil
		})
	case recv != nil && name == "UnsortedList":
		return sortedList(pass, file, call, fn)
	case pkg == "golang.org/x/exp/maps":
		return sortAfter(pass, file, call, elem)
	case pkg == "reflect":
		return analysis.SuggestedFix{}, fmt.Errorf("reflect.Value keys have no order of their own: sort them with sort.Slice and a comparison of the underlying keys")
	}
	return analysis.SuggestedFix{}, fmt.Errorf("no rewrite for %s.%s", pkg, name)
}

// sortedList replaces a set's UnsortedList() with the sorted List() method
// of the same set type, or with the package's generic List function.
func sortedList(pass *analysis.Pass, file *ast.File, call *ast.CallExpr, fn *types.Func) (analysis.SuggestedFix, error) {
	selx, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("UnsortedList is not called as a method")
	}
	recvT := pass.TypesInfo.TypeOf(selx.X)
	if obj, _, _ := types.LookupFieldOrMethod(recvT, true, fn.Pkg(), "List"); obj != nil {
		if m, ok := obj.(*types.Func); ok && m.Signature().Params().Len() == 0 && m.Signature().Results().Len() == 1 &&
			types.Identical(m.Signature().Results().At(0).Type(), pass.TypesInfo.TypeOf(call)) {
			return rewrite.Fix(pass, call.Pos(), tier.Behavior, "use the sorted List()", func(f *rewrite.File) error {
				_, ds, err := f.SelectorCall(call)
				if err != nil {
					return err
				}
				ds.Sel.Name = "List"
				return nil
			})
		}
	}
	list, ok := fn.Pkg().Scope().Lookup("List").(*types.Func)
	if !ok || list.Signature().Params().Len() != 1 || !isOrdered(elemOf(pass.TypesInfo.TypeOf(call))) {
		return analysis.SuggestedFix{}, fmt.Errorf("the set type has no sorted List: sort the slice after UnsortedList")
	}
	path := fn.Pkg().Path()
	if err := rewrite.CanName(pass, file, call.Pos(), path); err != nil {
		return analysis.SuggestedFix{}, err
	}
	return rewrite.Fix(pass, call.Pos(), tier.Behavior, "use the sorted "+fn.Pkg().Name()+".List", func(f *rewrite.File) error {
		d, ds, err := f.SelectorCall(call)
		if err != nil {
			return err
		}
		d.Fun = rewrite.Sel(rewrite.AddImport(f, path), "List")
		d.Args = []dst.Expr{ds.X}
		return nil
	})
}

// sortAfter adds a sort of the variable that `v := maps.Keys(m)` (or `v =
// ...`) assigns, right after that statement.
func sortAfter(pass *analysis.Pass, file *ast.File, call *ast.CallExpr, elem types.Type) (analysis.SuggestedFix, error) {
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	var as *ast.AssignStmt
	for i, n := range path {
		if n == call && i+1 < len(path) {
			as, _ = path[i+1].(*ast.AssignStmt)
			path = path[i+1:]
			break
		}
	}
	if as == nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != call {
		return analysis.SuggestedFix{}, fmt.Errorf("the keys are not assigned to a variable: assign them and sort the variable")
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	if !ok || id.Name == "_" {
		return analysis.SuggestedFix{}, fmt.Errorf("the keys are not assigned to a variable: assign them and sort the variable")
	}
	at, ok := rewrite.PlaceOf(path)
	if !ok || at.Stmt != as {
		return analysis.SuggestedFix{}, fmt.Errorf("the assignment is not a statement of a block")
	}
	pkgs := []string{"slices"}
	if !rewrite.FileAtLeast(pass, file, "go1.21") {
		pkgs = []string{"sort"}
	}
	for _, p := range pkgs {
		if err := rewrite.CanName(pass, file, as.End(), p); err != nil {
			return analysis.SuggestedFix{}, err
		}
	}
	return rewrite.Fix(pass, call.Pos(), tier.Behavior, "sort "+id.Name+" where it is collected", func(f *rewrite.File) error {
		// Comments after the assignment stay on its line.
		return rewrite.Splice(f, at, []dst.Stmt{&dst.ExprStmt{X: sortSlice(f, id.Name, elem)}}, true)
	})
}

// sortSlice builds the call that sorts the slice variable name of ordered
// elements: slices.Sort from go1.21, else sort.Strings, sort.Ints or
// sort.Slice with a < comparison.
func sortSlice(f *rewrite.File, name string, elem types.Type) *dst.CallExpr {
	if f.AtLeast("go1.21") {
		return &dst.CallExpr{Fun: rewrite.Sel(rewrite.AddImport(f, "slices"), "Sort"), Args: []dst.Expr{dst.NewIdent(name)}}
	}
	pkg := rewrite.AddImport(f, "sort")
	switch {
	case types.Identical(elem, types.Typ[types.String]):
		return &dst.CallExpr{Fun: rewrite.Sel(pkg, "Strings"), Args: []dst.Expr{dst.NewIdent(name)}}
	case types.Identical(elem, types.Typ[types.Int]):
		return &dst.CallExpr{Fun: rewrite.Sel(pkg, "Ints"), Args: []dst.Expr{dst.NewIdent(name)}}
	}
	at := func(i string) dst.Expr { return &dst.IndexExpr{X: dst.NewIdent(name), Index: dst.NewIdent(i)} }
	less := &dst.FuncLit{
		Type: &dst.FuncType{
			Params: &dst.FieldList{List: []*dst.Field{{
				Names: []*dst.Ident{dst.NewIdent("i"), dst.NewIdent("j")},
				Type:  dst.NewIdent("int"),
			}}},
			Results: &dst.FieldList{List: []*dst.Field{{Type: dst.NewIdent("bool")}}},
		},
		Body: &dst.BlockStmt{List: []dst.Stmt{&dst.ReturnStmt{Results: []dst.Expr{
			&dst.BinaryExpr{X: at("i"), Op: token.LSS, Y: at("j")},
		}}}},
	}
	return &dst.CallExpr{Fun: rewrite.Sel(pkg, "Slice"), Args: []dst.Expr{dst.NewIdent(name), less}}
}

// isOrdered reports whether values of t can be compared with <.
func isOrdered(t types.Type) bool {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		// A type parameter constrained by cmp.Ordered or
		// golang.org/x/exp/constraints.Ordered.
		if n, ok := types.Unalias(tp.Constraint()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Name() == "Ordered" {
			switch n.Obj().Pkg().Path() {
			case "cmp", "golang.org/x/exp/constraints":
				return true
			}
		}
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsOrdered != 0
}

// isFloat reports whether t is a floating-point type.
func isFloat(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsFloat != 0
}

// elemOf returns the element type of a slice type, or nil.
func elemOf(t types.Type) types.Type {
	if s, ok := t.Underlying().(*types.Slice); ok {
		return s.Elem()
	}
	return nil
}

// pure reports whether e can be evaluated again without side effects or a
// different result: a variable, a field path, a package variable.
func pure(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		_, ok := info.ObjectOf(e).(*types.Var)
		return ok
	case *ast.SelectorExpr:
		if s, ok := info.Selections[e]; ok {
			return s.Kind() == types.FieldVal && pure(info, e.X)
		}
		_, ok := info.Uses[e.Sel].(*types.Var) // pkg.Var
		return ok
	case *ast.StarExpr:
		return pure(info, e.X)
	}
	return false
}

// rootOf returns the variable at the root of a pure expression.
func rootOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.ObjectOf(e)
	case *ast.SelectorExpr:
		if _, ok := info.Selections[e]; ok {
			return rootOf(info, e.X)
		}
		return info.Uses[e.Sel]
	case *ast.StarExpr:
		return rootOf(info, e.X)
	case *ast.IndexExpr:
		return rootOf(info, e.X)
	}
	return nil
}

// changesMap says how body may change the map m while the loop runs, or ""
// when it only reads it. Any use of m other than m[k] reads, len(m) and
// ranges over it, and any use of the variable holding it that is not
// another of its fields (a method call on it, passing it on, taking its
// address), counts as a possible change; so does a call into this
// package when m is a package variable.
func changesMap(info *types.Info, body *ast.BlockStmt, m ast.Expr) string {
	want := types.ExprString(ast.Unparen(m))
	root := rootOf(info, m)
	if root == nil {
		// A call or an assertion: only the same expression, written
		// again, reaches the same map.
		var why string
		withParents(body, func(n ast.Node, parents []ast.Node) {
			if e, ok := n.(ast.Expr); ok && why == "" && len(parents) > 0 && types.ExprString(e) == want {
				if !readOnly(info, e, parents[len(parents)-1], parents[:len(parents)-1]) {
					why = "the loop changes " + want
				}
			}
		})
		return why
	}
	global := root.Parent() == root.Pkg().Scope()
	var why string
	withParents(body, func(n ast.Node, parents []ast.Node) {
		if why != "" {
			return
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if global {
				if fn := typeutil.StaticCallee(info, n); fn != nil && fn.Pkg() == root.Pkg() {
					why = "the loop calls " + fn.Name() + ", which may change the package's map"
				}
			}
		case *ast.Ident:
			if info.Uses[n] != root {
				return
			}
			// Climb to the longest field path starting at n.
			var e ast.Expr = n
			i := len(parents) - 1
			for ; i >= 0; i-- {
				switch p := parents[i].(type) {
				case *ast.SelectorExpr:
					if p.X != e {
						break
					}
					if s, ok := info.Selections[p]; ok && s.Kind() != types.FieldVal {
						break
					}
					e = p
					continue
				case *ast.ParenExpr, *ast.StarExpr:
					e = p.(ast.Expr)
					continue
				}
				break
			}
			s := types.ExprString(ast.Unparen(e))
			var parent ast.Node
			if i >= 0 {
				parent = parents[i]
			}
			switch {
			case s == want:
				if !readOnly(info, e, parent, parents[:max(i, 0)]) {
					why = "the loop changes " + want
				}
			case len(s) < len(want) && want[:len(s)] == s && strings.ContainsRune(".)[", rune(want[len(s)])):
				// The variable holding the map is used as a whole: a
				// method call on it, an argument, its address.
				why = "the loop hands " + s + " on, which may change " + want
			}
		}
	})
	return why
}

// withParents calls visit for every node under root with the nodes above
// it, outermost first.
func withParents(root ast.Node, visit func(n ast.Node, parents []ast.Node)) {
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		visit(n, stack)
		stack = append(stack, n)
		return true
	})
}

// readOnly reports whether the map expression e, used under parent, is
// only read: m[k] not assigned to, len(m), range m.
func readOnly(info *types.Info, e ast.Expr, parent ast.Node, above []ast.Node) bool {
	switch p := parent.(type) {
	case *ast.IndexExpr:
		if p.X != e {
			return true // used as an index: m is a key of something else
		}
		if len(above) > 0 {
			switch g := above[len(above)-1].(type) {
			case *ast.AssignStmt:
				for _, l := range g.Lhs {
					if l == p {
						return false
					}
				}
			case *ast.IncDecStmt:
				return g.X != p
			case *ast.UnaryExpr:
				return g.Op != token.AND
			}
		}
		return true
	case *ast.CallExpr:
		if b, ok := typeutil.Callee(info, p).(*types.Builtin); ok && (b.Name() == "len") {
			return true
		}
		return false
	case *ast.RangeStmt:
		return p.X == e
	case *ast.BinaryExpr:
		return true // m == nil
	}
	return false
}

// escapes says how the variable v outlives its iteration in body: its
// address taken or a closure referring to it; "" if neither.
func escapes(info *types.Info, body *ast.BlockStmt, v types.Object) string {
	if v == nil {
		return ""
	}
	var why string
	ast.Inspect(body, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == v {
				why = "its address is taken"
			}
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
					why = "a function literal refers to it"
				}
				return why == ""
			})
		}
		return true
	})
	return why
}

// mentions reports whether e refers to something called name (field and
// method names after a dot do not count).
func mentions(e ast.Expr, name string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			found = found || mentions(n.X, name)
			return false
		case *ast.Ident:
			found = found || n.Name == name
		}
		return !found
	})
	return found
}

// keysName names the slice of m's keys after m: countersKeys for
// g.counters, keys for a short name such as m.
func keysName(m ast.Expr) string {
	var base string
	switch e := ast.Unparen(m).(type) {
	case *ast.Ident:
		base = e.Name
	case *ast.SelectorExpr:
		base = e.Sel.Name
	case *ast.StarExpr:
		return keysName(e.X)
	}
	if len(base) < 3 {
		return "keys" // m, mp: keysName would read worse than keys
	}
	return base + "Keys"
}
