package maporder

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// sinkKind names the sub-rule behind a finding; it becomes the diagnostic's
// Category.
type sinkKind string

// The sinks where map order becomes observable.
const (
	sinkReturn  sinkKind = "return"  // a slice in map order is returned
	sinkStore   sinkKind = "store"   // ... stored where it outlives the function
	sinkJoin    sinkKind = "join"    // ... joined into one string or path
	sinkEncode  sinkKind = "encode"  // ... marshalled or encoded
	sinkHash    sinkKind = "hash"    // ... hashed, or a hash written in map order
	sinkCompare sinkKind = "compare" // ... compared element by element
	sinkCall    sinkKind = "call"    // ... handed to a function that keeps the order
	sinkWriter  sinkKind = "writer"  // a writer written inside the ordered loop
	sinkConcat  sinkKind = "concat"  // a string concatenated inside the ordered loop
	sinkPrint   sinkKind = "print"   // fmt/log printing inside the ordered loop
)

// maxDepth bounds how many times order is followed from one slice into a
// loop over it and on into the slices that loop builds.
const maxDepth = 3

// origin is where map order enters the code: the hazard a fix rewrites.
type origin struct {
	// node is the *ast.RangeStmt over the map (or over maps.Keys/Values/All),
	// or the *ast.CallExpr that collects keys or values into a slice.
	node ast.Node
	// mapExpr is the map whose iteration order leaks.
	mapExpr ast.Expr
}

// hit is one place where map order becomes observable.
type hit struct {
	sink    ast.Node // the statement or call where the order shows
	kind    sinkKind
	carrier string // the slice, string or writer that carries the order
	via     string // the function or method at the sink, if any
	// inLoop is set for sinks inside the ordered loop (writes, prints,
	// concatenation), as opposed to sinks of a slice built in map order.
	inLoop bool
	dest   types.Type  // sinkWriter: the writer's type
	callee *types.Func // the function at the sink, if static
	sev    severity    // set by rank
}

// finding is map order flowing from an origin to its first sink.
type finding struct {
	origin origin
	hit    hit
	// more holds further sinks reached from the same origin.
	more []hit
}

// checker holds the per-pass state of the detection.
type checker struct {
	pass    *analysis.Pass
	info    *types.Info
	inspect *inspector.Inspector
	// sums holds the parameter-order summaries of this package's
	// functions; imported functions' summaries come from facts.
	sums *kit.Summaries[*paramOrder]
	// graphs holds the control-flow graphs built so far, by function body.
	graphs map[*ast.BlockStmt]*kit.Graph
	// guards holds the length guards found so far, by function body.
	guards map[*ast.BlockStmt][]lenGuard
	// assume is the parameter being summarised: a recursive call that hands
	// the parameter's value back to the same parameter is taken to ignore
	// its order, as the rest of the body decides.
	assume struct {
		fn    *types.Func
		index int
	}
	// results holds how much the order of each unexported function's
	// results matters to its callers (callers.go); resultFns the
	// functions it covers, refs every reference to them.
	results   *kit.Summaries[severity]
	resultFns map[*types.Func]bool
	refs      map[*types.Func][]inspector.Cursor
}

// paramOrder summarises what a function does with the order of its slice
// parameters (indices into its signature's Params).
type paramOrder struct {
	sorts   []int // sorted in place before any use that shows the order
	ignores []int // never shown: only read element-wise, counted, set-inserted...
}

// key names a variable or a field path inside one: names, s.items,
// spec.Containers[].Env, *out.
type key struct {
	root types.Object
	path string
}

// keyOf returns the key of an addressable expression.
func (c *checker) keyOf(e ast.Expr) (key, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := c.info.ObjectOf(e).(*types.Var); ok && !v.IsField() {
			return key{root: v}, true
		}
	case *ast.SelectorExpr:
		if sel, ok := c.info.Selections[e]; ok {
			if sel.Kind() != types.FieldVal {
				return key{}, false
			}
			k, ok := c.keyOf(e.X)
			k.path += "." + e.Sel.Name
			return k, ok
		}
		if v, ok := c.info.Uses[e.Sel].(*types.Var); ok {
			return key{root: v}, true // qualified package variable
		}
	case *ast.StarExpr:
		k, ok := c.keyOf(e.X)
		k.path += "*"
		return k, ok
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return c.keyOf(e.X) // &buf writes to buf
		}
	case *ast.IndexExpr:
		k, ok := c.keyOf(e.X)
		k.path += "[]"
		return k, ok
	}
	return key{}, false
}

// covers reports whether a use of k reads all of m: k is m or contains it.
func (k key) covers(m key) bool {
	if k.root != m.root || !strings.HasPrefix(m.path, k.path) {
		return false
	}
	if len(m.path) == len(k.path) {
		return true
	}
	return strings.ContainsRune(".[*", rune(m.path[len(k.path)]))
}

// find runs the detection over the package.
func (c *checker) find() []finding {
	var out []finding
	// Every origin with a sink is reported, even when an enclosing
	// origin reaches the same sink: a fix of the outer loop does not
	// order the inner one, so hiding it would leave it for a later round
	// of fix to find, and vet and fix would disagree.
	for cur := range c.inspect.Root().Preorder((*ast.RangeStmt)(nil), (*ast.CallExpr)(nil)) {
		var o origin
		var hits []hit
		switch n := cur.Node().(type) {
		case *ast.RangeStmt:
			m := c.rangeMap(n)
			if m == nil || c.atMostOne(cur, m) {
				continue
			}
			o = origin{node: n, mapExpr: m}
			hits = c.scanLoop(cur, 0)
		case *ast.CallExpr:
			m := sliceSourceMap(c.info, n)
			if m == nil {
				continue
			}
			o = origin{node: n, mapExpr: m}
			hits = c.followSource(cur)
		}
		seen := make(map[ast.Node]bool)
		var fresh []hit
		for _, h := range hits {
			if seen[h.sink] {
				continue
			}
			seen[h.sink] = true
			if h.sev = c.rank(h); h.sev > sevNone {
				fresh = append(fresh, h)
			}
		}
		// The worst sink first, then in source order.
		slices.SortStableFunc(fresh, func(a, b hit) int {
			if a.sev != b.sev {
				return int(b.sev - a.sev)
			}
			return int(a.sink.Pos() - b.sink.Pos())
		})
		if len(fresh) > 0 {
			out = append(out, finding{origin: o, hit: fresh[0], more: fresh[1:]})
		}
	}
	return out
}

// rangeMap returns the map whose order a range statement follows: a map,
// or a maps.Keys/Values/All sequence of one.
func (c *checker) rangeMap(rs *ast.RangeStmt) ast.Expr {
	if t := c.info.TypeOf(rs.X); t != nil {
		if _, ok := t.Underlying().(*types.Map); ok {
			return rs.X
		}
	}
	return mapsSeqMap(c.info, rs.X)
}

// atMostOne reports whether the loop at cur runs under a check that the map
// m has at most one entry (if len(m) == 1, switch len(m) { case 1: }), so
// its order cannot vary.
func (c *checker) atMostOne(cur inspector.Cursor, m ast.Expr) bool {
	isLen := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return false
		}
		if b, ok := typeutil.Callee(c.info, call).(*types.Builtin); !ok || b.Name() != "len" {
			return false
		}
		return types.ExprString(call.Args[0]) == types.ExprString(m)
	}
	small := func(e ast.Expr) bool {
		tv, ok := c.info.Types[e]
		if !ok || tv.Value == nil {
			return false
		}
		v, exact := constant.Int64Val(constant.ToInt(tv.Value))
		return exact && v <= 1
	}
	for p := cur; ; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit, *ast.File:
			return false
		case *ast.IfStmt:
			bin, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr)
			if !ok || n.Body.Pos() > cur.Node().Pos() || cur.Node().End() > n.Body.End() {
				continue
			}
			switch {
			case bin.Op == token.EQL && (isLen(bin.X) && small(bin.Y) || isLen(bin.Y) && small(bin.X)),
				bin.Op == token.LEQ && isLen(bin.X) && small(bin.Y),
				bin.Op == token.LSS && isLen(bin.X) && c.lessThanTwo(bin.Y):
				return true
			}
		case *ast.CaseClause:
			sw, ok := p.Parent().Parent().Node().(*ast.SwitchStmt)
			if !ok || sw.Tag == nil || !isLen(sw.Tag) || len(n.List) == 0 {
				continue
			}
			all := true
			for _, v := range n.List {
				all = all && small(v)
			}
			if all {
				return true
			}
		}
	}
}

// lessThanTwo reports whether e is a constant no greater than 2.
func (c *checker) lessThanTwo(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	v, exact := constant.Int64Val(constant.ToInt(tv.Value))
	return exact && v <= 2
}

// outermostFunc returns the outermost function declaration or literal
// around cur. Following a value through it covers closures that capture
// the value and the code after them.
func outermostFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	var out inspector.Cursor
	found := false
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		out, found = f, true
	}
	return out, found
}

// place says where a variable lives relative to the code that uses it.
type place int

const (
	placeLocal  place = iota // declared in a function body
	placeParam               // a parameter, result or receiver
	placeGlobal              // package level, or another package's
)

// placeOf classifies obj as seen from the code at cur.
func (c *checker) placeOf(obj types.Object, cur inspector.Cursor) place {
	if obj.Pkg() == nil || obj.Pkg() != c.pass.Pkg || obj.Parent() == obj.Pkg().Scope() {
		return placeGlobal
	}
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var body *ast.BlockStmt
		switch n := f.Node().(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		n := f.Node()
		if body == nil || obj.Pos() < n.Pos() || obj.Pos() >= n.End() {
			continue
		}
		if obj.Pos() < body.Pos() {
			return placeParam
		}
		return placeLocal
	}
	return placeGlobal
}

// outlives reports whether a value assigned to k at cur escapes the function:
// a package variable, a field or element reached through a parameter or a
// pointer, or a pointer's target.
func (c *checker) outlives(k key, cur inspector.Cursor) bool {
	switch c.placeOf(k.root, cur) {
	case placeGlobal:
		return true
	case placeParam:
		return k.path != ""
	}
	if k.path == "" {
		return false
	}
	_, isPtr := k.root.Type().Underlying().(*types.Pointer)
	return isPtr && !c.allocatedHere(k.root, cur)
}

// allocatedHere reports whether the local pointer v is initialised with a
// new value (&T{...} or new(T)), so that fields set through it belong to
// this function until the pointer itself escapes.
func (c *checker) allocatedHere(v types.Object, cur inspector.Cursor) bool {
	file := cur
	for ; file.Valid(); file = file.Parent() {
		if _, ok := file.Node().(*ast.File); ok {
			break
		}
	}
	if !file.Valid() {
		return false
	}
	id, ok := file.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		return false
	}
	var rhs ast.Expr
	ek, idx := id.ParentEdge()
	switch p := id.Parent().Node().(type) {
	case *ast.AssignStmt:
		if ek == edge.AssignStmt_Lhs && len(p.Lhs) == len(p.Rhs) {
			rhs = p.Rhs[idx]
		}
	case *ast.ValueSpec:
		if ek == edge.ValueSpec_Names && len(p.Names) == len(p.Values) {
			rhs = p.Values[idx]
		}
	}
	switch r := ast.Unparen(rhs).(type) {
	case *ast.UnaryExpr:
		_, isLit := ast.Unparen(r.X).(*ast.CompositeLit)
		return r.Op == token.AND && isLit
	case *ast.CallExpr:
		b, ok := typeutil.Callee(c.info, r).(*types.Builtin)
		return ok && b.Name() == "new"
	}
	return false
}

// refers reports whether n mentions any of objs.
func (c *checker) refers(n ast.Node, objs map[types.Object]bool) bool {
	if n == nil || len(objs) == 0 {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && objs[c.info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}

// isString reports whether e has a string type.
func (c *checker) isString(e ast.Expr) bool {
	t := c.info.TypeOf(e)
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// isSlice reports whether e has a slice type.
func (c *checker) isSlice(e ast.Expr) bool {
	t := c.info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Slice)
	return ok
}
