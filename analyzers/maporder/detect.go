package maporder

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

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
	// local holds the parameter-order summaries of this package's
	// functions; imported functions' summaries come from facts.
	local map[*types.Func]*paramOrder
	// assume is the parameter being summarised: a recursive call that hands
	// the parameter's value back to the same parameter is taken to ignore
	// its order, as the rest of the body decides.
	assume struct {
		fn    *types.Func
		index int
	}
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
	seen := make(map[ast.Node]bool) // sinks already reported for an enclosing origin
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
		slices.SortStableFunc(hits, func(a, b hit) int { return int(a.sink.Pos() - b.sink.Pos()) })
		var fresh []hit
		for _, h := range hits {
			if !seen[h.sink] {
				seen[h.sink] = true
				fresh = append(fresh, h)
			}
		}
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

// unreachable reports whether cur sits in a branch that a constant
// condition rules out: if false { ... }, if debug { ... } with const debug =
// false, or the else of a constant true.
func (c *checker) unreachable(cur inspector.Cursor) bool {
	for p := cur; ; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.File:
			return false
		}
		ifs, ok := p.Parent().Node().(*ast.IfStmt)
		if !ok {
			continue
		}
		tv, ok := c.info.Types[ifs.Cond]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
			continue
		}
		switch p.ParentEdgeKind() {
		case edge.IfStmt_Body:
			if !constant.BoolVal(tv.Value) {
				return true
			}
		case edge.IfStmt_Else:
			if constant.BoolVal(tv.Value) {
				return true
			}
		}
	}
}

// loopScan is the state of the scan of one ordered loop.
type loopScan struct {
	c  *checker
	rs *ast.RangeStmt
	// derived holds the variables whose value changes from one iteration to
	// the next: the loop's own variables and outer variables assigned from
	// them (but not accumulators such as out = append(out, k)).
	derived map[types.Object]bool
	// positional holds the derived variables that say where an element
	// goes; empty for a loop over a slice, whose index is itself in map order.
	positional map[types.Object]bool
	// resets holds the outer variables cleared on each iteration
	// (buf.Reset(), s = s[:0]): they carry one iteration, not the order.
	resets map[key]bool
}

// declaredIn reports whether obj is declared inside the loop.
func (s *loopScan) declaredIn(obj types.Object) bool {
	return obj.Pos() >= s.rs.Pos() && obj.Pos() < s.rs.End()
}

// outer reports whether e names an accumulator that lives across
// iterations: a variable or field path not declared in the loop and not
// indexed by a per-iteration value.
func (s *loopScan) outer(e ast.Expr) (key, bool) {
	k, ok := s.c.keyOf(e)
	if !ok || s.declaredIn(k.root) || s.c.refers(e, s.derived) || s.resets[k] {
		return key{}, false
	}
	return k, true
}

// scanLoop finds where the order of an ordered loop becomes observable:
// writes and prints inside it, and the slices it builds, followed to their
// sinks.
func (c *checker) scanLoop(loop inspector.Cursor, depth int) []hit {
	rs := loop.Node().(*ast.RangeStmt)
	fn, ok := outermostFunc(loop)
	if !ok {
		return nil
	}
	s := &loopScan{c: c, rs: rs}
	s.computeDerived()
	s.resets = c.resets(rs.Body)
	var hits []hit
	type target struct {
		k    key
		name string
		stmt ast.Node
		at   inspector.Cursor
	}
	var targets []target
	addTarget := func(k key, e ast.Expr, stmt inspector.Cursor) {
		for _, t := range targets {
			if t.k == k {
				return
			}
		}
		targets = append(targets, target{k: k, name: types.ExprString(e), stmt: stmt.Node(), at: stmt})
	}
	body := loop.ChildAt(edge.RangeStmt_Body, -1)
	for cur := range body.Preorder((*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			if exitsAfter(cur, rs) || c.unreachable(cur) {
				continue
			}
			switch n.Tok {
			case token.ADD_ASSIGN:
				if len(n.Lhs) == 1 && c.isString(n.Lhs[0]) && c.refers(n.Rhs[0], s.derived) {
					if _, ok := s.outer(n.Lhs[0]); ok {
						hits = append(hits, hit{sink: n, kind: sinkConcat, carrier: types.ExprString(n.Lhs[0]), inLoop: true})
					}
				}
			case token.ASSIGN:
				if len(n.Lhs) != len(n.Rhs) {
					continue
				}
				for i, lhs := range n.Lhs {
					rhs := n.Rhs[i]
					if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok && c.isSlice(ix.X) {
						// keys[i] = k with i counting iterations.
						if k, ok := s.outer(ix.X); ok && !c.refers(ix.Index, s.positional) && c.refers(rhs, s.derived) {
							addTarget(k, ix.X, cur)
						}
						continue
					}
					if c.isString(lhs) {
						if k, ok := s.outer(lhs); ok && s.isConcatOf(rhs, k) && c.refers(rhs, s.derived) {
							hits = append(hits, hit{sink: n, kind: sinkConcat, carrier: types.ExprString(lhs), inLoop: true})
						}
						continue
					}
					if !c.isSlice(lhs) {
						continue
					}
					if k, ok := s.outer(lhs); ok && s.isAppendTo(rhs, k, lhs) {
						addTarget(k, lhs, cur)
					}
				}
			}
		case *ast.CallExpr:
			if h, ok := s.callSink(n); ok && !exitsAfter(cur, rs) && !c.unreachable(cur) {
				hits = append(hits, h)
			}
		}
	}
	for _, t := range targets {
		f := c.newFollow(fn, rs.End(), depth)
		f.members = append(f.members, member{key: t.k, name: t.name})
		if c.outlives(t.k, t.at) {
			f.pending = append(f.pending, pending{hit: hit{sink: t.stmt, kind: sinkStore, carrier: t.name}})
		}
		f.run()
		hits = append(hits, f.hits...)
	}
	return hits
}

// computeDerived fills s.derived and s.positional.
func (s *loopScan) computeDerived() {
	c := s.c
	s.derived = make(map[types.Object]bool)
	ast.Inspect(s.rs, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.info.Defs[id].(*types.Var); ok {
				s.derived[v] = true
			}
		}
		return true
	})
	// A range over a slice that is itself in map order: the index is an
	// iteration count, so it does not fix where an element goes.
	var index types.Object
	if id, ok := s.rs.Key.(*ast.Ident); ok {
		if t := c.info.TypeOf(s.rs.X); t != nil {
			if _, isMap := t.Underlying().(*types.Map); !isMap {
				index = c.info.ObjectOf(id)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(s.rs.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				obj := c.info.Uses[id]
				if obj == nil || s.derived[obj] {
					continue
				}
				if c.refers(as.Rhs[i], s.derived) && !c.refers(as.Rhs[i], map[types.Object]bool{obj: true}) {
					s.derived[obj] = true
					changed = true
				}
			}
			return true
		})
	}
	s.positional = make(map[types.Object]bool, len(s.derived))
	for obj := range s.derived {
		if obj != index {
			s.positional[obj] = true
		}
	}
}

// isConcatOf reports whether e is a + chain that includes k: s + x, x + s.
func (s *loopScan) isConcatOf(e ast.Expr, k key) bool {
	bin, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || bin.Op != token.ADD {
		return false
	}
	for _, side := range []ast.Expr{bin.X, bin.Y} {
		if sk, ok := s.c.keyOf(side); ok && sk == k {
			return true
		}
		if s.isConcatOf(side, k) {
			return true
		}
	}
	return false
}

// isAppendTo reports whether rhs grows the slice k with per-iteration
// values: append(k, x...), or an appender such as strconv.AppendQuote(k, x)
// that returns the slice's own type.
func (s *loopScan) isAppendTo(rhs ast.Expr, k key, lhs ast.Expr) bool {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || len(call.Args) < 2 {
		return false
	}
	if b, ok := typeutil.Callee(s.c.info, call).(*types.Builtin); ok {
		if b.Name() != "append" {
			return false
		}
		ak, ok := s.c.keyOf(call.Args[0])
		if !ok || ak != k {
			return false
		}
		for _, a := range call.Args[1:] {
			if s.c.refers(a, s.derived) {
				return true
			}
		}
		return false
	}
	if !types.Identical(s.c.info.TypeOf(call), s.c.info.TypeOf(lhs)) {
		return false
	}
	self := -1
	for i, a := range call.Args {
		if ak, ok := s.c.keyOf(a); ok && ak == k {
			self = i
			break
		}
	}
	if self < 0 {
		return false
	}
	for i, a := range call.Args {
		if i != self && s.c.refers(a, s.derived) {
			return true
		}
	}
	return false
}

// resets returns the variables that body clears on every pass: x.Reset(),
// x = nil, x = x[:0], x = make(...), x = T{...}, x = "".
func (c *checker) resets(body *ast.BlockStmt) map[key]bool {
	out := make(map[key]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Reset" && len(n.Args) == 0 {
				if k, ok := c.keyOf(sel.X); ok {
					out[k] = true
				}
			}
		case *ast.AssignStmt:
			if n.Tok != token.ASSIGN || len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, lhs := range n.Lhs {
				k, ok := c.keyOf(lhs)
				if !ok {
					continue
				}
				switch r := ast.Unparen(n.Rhs[i]).(type) {
				case *ast.Ident:
					if r.Name == "nil" {
						out[k] = true
					}
				case *ast.BasicLit:
					if r.Value == `""` || r.Value == "``" {
						out[k] = true
					}
				case *ast.CompositeLit:
					out[k] = true
				case *ast.SliceExpr:
					if r.Low == nil && r.High != nil {
						if lit, ok := r.High.(*ast.BasicLit); ok && lit.Value == "0" {
							out[k] = true
						}
					}
				case *ast.CallExpr:
					if b, ok := typeutil.Callee(c.info, r).(*types.Builtin); ok && b.Name() == "make" {
						out[k] = true
					}
				}
			}
		}
		return true
	})
	return out
}

// exitsAfter reports whether the statement holding cur is followed, in its
// block, by a return or a break out of loop: the loop then contributes a
// single element, whose position does not depend on map order.
func exitsAfter(cur inspector.Cursor, loop *ast.RangeStmt) bool {
	for c := cur; c.Node() != loop; c = c.Parent() {
		switch c.Parent().Node().(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		default:
			continue
		}
		// c is the innermost statement holding cur.
		inner := false // a switch, select or loop between c and loop catches plain breaks
		for p := c.Parent(); p.Node() != loop; p = p.Parent() {
			switch p.Node().(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
				inner = true
			}
		}
		for sib, ok := c.NextSibling(); ok; sib, ok = sib.NextSibling() {
			switch n := sib.Node().(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if n.Tok == token.GOTO || (n.Tok == token.BREAK && (n.Label != nil || !inner)) {
					return true
				}
			}
		}
		return false
	}
	return false
}

// callSink classifies a call inside the ordered loop: a write, encode or
// print whose content changes per iteration, to a destination that lives
// across iterations.
func (s *loopScan) callSink(call *ast.CallExpr) (hit, bool) {
	c := s.c
	fn, _ := typeutil.Callee(c.info, call).(*types.Func)
	if fn == nil {
		return hit{}, false
	}
	pkg, recv, name := funcPath(fn.Origin())
	varies := func(args []ast.Expr) bool {
		for _, a := range args {
			if c.refers(a, s.derived) {
				return true
			}
		}
		return false
	}
	// written reports a write of args to dest.
	written := func(dest ast.Expr, args []ast.Expr, kind sinkKind) (hit, bool) {
		if _, ok := s.outer(dest); !ok || !varies(args) {
			return hit{}, false
		}
		if kind == sinkWriter && isHash(c.info.TypeOf(dest)) {
			kind = sinkHash
		}
		if u, ok := ast.Unparen(dest).(*ast.UnaryExpr); ok && u.Op == token.AND {
			dest = u.X
		}
		return hit{sink: call, kind: kind, carrier: types.ExprString(dest), via: calleeName(c.info, call), inLoop: true}, true
	}
	var recvExpr ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && recv != "" {
		recvExpr = sel.X
	}
	switch {
	case pkg == "fmt" && recv == "":
		switch name {
		case "Print", "Printf", "Println":
			if varies(call.Args) {
				return hit{sink: call, kind: sinkPrint, carrier: "fmt." + name, via: "fmt." + name, inLoop: true}, true
			}
		case "Fprint", "Fprintf", "Fprintln":
			if len(call.Args) > 0 {
				return written(call.Args[0], call.Args[1:], sinkWriter)
			}
		}
		return hit{}, false
	case pkg == "log" && (recv == "" || recv == "Logger") && strings.HasPrefix(name, "Print"):
		if varies(call.Args) {
			return hit{sink: call, kind: sinkPrint, carrier: calleeName(c.info, call), via: calleeName(c.info, call), inLoop: true}, true
		}
		return hit{}, false
	case (pkg == "io" && name == "WriteString" || pkg == "encoding/binary" && name == "Write") && len(call.Args) > 1:
		return written(call.Args[0], call.Args[1:], sinkWriter)
	case recvExpr != nil && isTemplate(c.info.TypeOf(recvExpr)) && (name == "Execute" || name == "ExecuteTemplate") && len(call.Args) > 1:
		return written(call.Args[0], call.Args[1:], sinkWriter)
	case recvExpr != nil && name == "Encode" && isEncoder(c.info.TypeOf(recvExpr)):
		dest := recvExpr
		if inner, ok := ast.Unparen(recvExpr).(*ast.CallExpr); ok && len(inner.Args) > 0 {
			dest = inner.Args[0] // json.NewEncoder(w).Encode(v)
		}
		return written(dest, call.Args, sinkEncode)
	case recvExpr != nil && pkg == "encoding/csv" && recv == "Writer" && name == "Write":
		return written(recvExpr, call.Args, sinkWriter)
	case recvExpr != nil && isWriteMethod(name) && isWriter(c.info.TypeOf(recvExpr)):
		return written(recvExpr, call.Args, sinkWriter)
	}
	// A helper handed an outer writer and a per-iteration value, such as
	// writeEntry(w, k, v), writes in map order.
	sig := fn.Signature()
	for i, a := range call.Args {
		if i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
			break
		}
		if !isWriter(sig.Params().At(i).Type()) || !isWriter(c.info.TypeOf(a)) {
			continue
		}
		if _, ok := a.(*ast.CallExpr); ok {
			continue
		}
		rest := slices.Concat(call.Args[:i], call.Args[i+1:])
		if h, ok := written(a, rest, sinkWriter); ok {
			return h, true
		}
	}
	return hit{}, false
}

// member is one name under which followed values are reachable.
type member struct {
	key  key
	name string // for messages
	// class groups members that share a backing array: sorting one sorts
	// them all. A copy (slices.Clone, append(nil, s...)) starts a new class.
	class int
}

// pending is a store into a variable that outlives the function: it is a
// finding unless the stored slice is sorted before the function ends.
type pending struct {
	hit   hit
	class int
}

// follow tracks a slice in map order (and its aliases) through the rest of a
// function in source order, until it is sorted or reaches a sink.
type follow struct {
	c       *checker
	scope   inspector.Cursor // outermost function around the origin
	start   token.Pos        // only code from here on is followed
	depth   int
	members []member
	parent  []int  // class -> parent class; class 0 is the followed value's own
	killed  []bool // class -> sorted
	pending []pending
	hits    []hit
}

func (c *checker) newFollow(scope inspector.Cursor, start token.Pos, depth int) *follow {
	return &follow{c: c, scope: scope, start: start, depth: depth, parent: []int{-1}, killed: []bool{false}}
}

// dead reports whether class, or a class it was copied from, has been sorted.
func (f *follow) dead(class int) bool {
	for ; class >= 0; class = f.parent[class] {
		if f.killed[class] {
			return true
		}
	}
	return false
}

// descends reports whether class was copied (directly or not) from anc.
func (f *follow) descends(class, anc int) bool {
	for ; class >= 0; class = f.parent[class] {
		if class == anc {
			return true
		}
	}
	return false
}

// kill records that class was sorted.
func (f *follow) kill(class int) {
	f.killed[class] = true
	f.pending = slices.DeleteFunc(f.pending, func(p pending) bool { return f.descends(p.class, class) })
}

// rootSorted reports whether the followed value itself was sorted.
func (f *follow) rootSorted() bool { return f.killed[0] }

// match returns the live member that a use of k reads.
func (f *follow) match(k key) (member, bool) {
	for _, m := range f.members {
		if k.covers(m.key) && !f.dead(m.class) {
			return m, true
		}
	}
	return member{}, false
}

// run walks the scope from start.
func (f *follow) run() {
	f.scope.Inspect(nil, func(cur inspector.Cursor) bool {
		n := cur.Node()
		if n.End() <= f.start {
			return false
		}
		if n.Pos() < f.start {
			return true
		}
		switch n := n.(type) {
		case *ast.Ident:
			obj := f.c.info.Uses[n]
			if obj == nil {
				return true
			}
			if m, ok := f.match(key{root: obj}); ok && !f.c.unreachable(cur) {
				f.apply(m, f.classify(cur))
			}
		case *ast.SelectorExpr:
			if k, ok := f.c.keyOf(n); ok {
				if m, ok := f.match(k); ok {
					if !f.c.unreachable(cur) {
						f.apply(m, f.classify(cur))
					}
					return false
				}
			}
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				f.bareReturn(cur, n)
			}
		}
		return true
	})
	for _, p := range f.pending {
		f.hits = append(f.hits, p.hit)
	}
	f.pending = nil
}

// bareReturn reports a bare return that returns a followed named result.
func (f *follow) bareReturn(cur inspector.Cursor, ret *ast.ReturnStmt) {
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch n := fn.Node().(type) {
		case *ast.FuncDecl:
			ft = n.Type
		case *ast.FuncLit:
			ft = n.Type
		}
		if ft.Results == nil {
			return
		}
		for _, field := range ft.Results.List {
			for _, name := range field.Names {
				if m, ok := f.match(key{root: f.c.info.Defs[name]}); ok {
					f.hits = append(f.hits, hit{sink: ret, kind: sinkReturn, carrier: m.name})
					return
				}
			}
		}
		return
	}
}

// action is what a use does with the followed order.
type action int

const (
	actNeutral action = iota // nothing observable
	actSorted                // sorts it in place
	actAlias                 // copies it into another variable or field
	actSink                  // makes it observable
	actLoop                  // ranges over it: the loop is in map order
)

// outcome is the classification of one use.
type outcome struct {
	action action
	kind   sinkKind         // actSink
	node   ast.Node         // actSink: the sink
	via    string           // actSink: the callee
	key    key              // actAlias: the new name
	name   string           // actAlias
	fresh  bool             // actAlias: the new name has its own backing array
	store  ast.Node         // actAlias: set when the new name outlives the function
	loop   inspector.Cursor // actLoop
}

// apply records the effect of a use of m.
func (f *follow) apply(m member, o outcome) {
	switch o.action {
	case actSorted:
		f.kill(m.class)
	case actAlias:
		for _, x := range f.members {
			if x.key == o.key && !f.dead(x.class) {
				return // s = append(s, x), s = s[:n]: same value
			}
		}
		class := m.class
		if o.fresh {
			f.parent = append(f.parent, m.class)
			f.killed = append(f.killed, false)
			class = len(f.parent) - 1
		}
		f.members = append(f.members, member{key: o.key, name: o.name, class: class})
		if o.store != nil {
			f.pending = append(f.pending, pending{hit: hit{sink: o.store, kind: sinkStore, carrier: o.name}, class: class})
		}
	case actSink:
		f.hits = append(f.hits, hit{sink: o.node, kind: o.kind, carrier: m.name, via: o.via})
	case actLoop:
		if f.depth < maxDepth {
			f.hits = append(f.hits, f.c.scanLoop(o.loop, f.depth+1)...)
		}
	}
}

// classify climbs from a use of a followed value to the construct that
// decides what happens to its order.
func (f *follow) classify(use inspector.Cursor) outcome {
	c := f.c
	cur := use
	suffix := "" // field path the value acquires inside composite literals
	fresh := false
	for {
		parent := cur.Parent()
		ek, idx := cur.ParentEdge()
		switch p := parent.Node().(type) {
		case *ast.ParenExpr, *ast.StarExpr:
		case *ast.UnaryExpr:
			if p.Op != token.AND {
				return outcome{}
			}
		case *ast.SliceExpr:
			if ek != edge.SliceExpr_X {
				return outcome{}
			}
		case *ast.KeyValueExpr:
			if ek != edge.KeyValueExpr_Value {
				return outcome{}
			}
		case *ast.CompositeLit:
			suffix = c.elemPath(p, cur.Node(), idx) + suffix
		case *ast.SelectorExpr:
			// x.Sort() on sort.StringSlice-like types sorts in place.
			if ek == edge.SelectorExpr_X && p.Sel.Name == "Sort" && parent.ParentEdgeKind() == edge.CallExpr_Fun {
				return outcome{action: actSorted}
			}
			return outcome{}
		case *ast.CallExpr:
			if ek != edge.CallExpr_Args {
				return outcome{}
			}
			if tv, ok := c.info.Types[p.Fun]; ok && tv.IsType() {
				break // conversion: same elements, same order
			}
			u := c.callArg(p, idx)
			switch u.role {
			case roleNeutral:
				return outcome{}
			case roleSorts:
				return outcome{action: actSorted}
			case roleSink:
				return outcome{action: actSink, kind: u.kind, node: p, via: u.via}
			case roleCopy:
				if len(p.Args) == 2 {
					return f.assignTo(parent, p.Args[0], "", true, p)
				}
				return outcome{}
			case roleThrough:
				fresh = fresh || u.fresh
			}
		case *ast.ReturnStmt:
			return outcome{action: actSink, kind: sinkReturn, node: p}
		case *ast.AssignStmt:
			if ek != edge.AssignStmt_Rhs || len(p.Lhs) != len(p.Rhs) || (p.Tok != token.ASSIGN && p.Tok != token.DEFINE) {
				return outcome{}
			}
			return f.assignTo(parent, p.Lhs[idx], suffix, fresh, p)
		case *ast.ValueSpec:
			if ek != edge.ValueSpec_Values || len(p.Names) != len(p.Values) {
				return outcome{}
			}
			return f.assignTo(parent, p.Names[idx], suffix, fresh, p)
		case *ast.RangeStmt:
			if ek == edge.RangeStmt_X {
				return outcome{action: actLoop, loop: parent}
			}
			return outcome{}
		default:
			// Comparisons, sends, conditions, index positions...: the order
			// of the value is not observed.
			return outcome{}
		}
		cur = parent
	}
}

// assignTo classifies the flow of the value into lhs at stmt.
func (f *follow) assignTo(at inspector.Cursor, lhs ast.Expr, suffix string, fresh bool, stmt ast.Node) outcome {
	if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && id.Name == "_" {
		return outcome{}
	}
	k, ok := f.c.keyOf(lhs)
	if !ok {
		// f().x = s: stored somewhere this function cannot see.
		return outcome{action: actSink, kind: sinkStore, node: stmt}
	}
	k.path += suffix
	o := outcome{action: actAlias, key: k, name: types.ExprString(lhs) + suffix, fresh: fresh}
	if f.c.outlives(k, at) {
		o.store = stmt
	}
	return o
}

// elemPath returns the path component that elem gets inside lit: the field
// name for a struct literal, [] for slice, array and map literals.
func (c *checker) elemPath(lit *ast.CompositeLit, elem ast.Node, idx int) string {
	t := c.info.TypeOf(lit)
	if t == nil {
		return "[]"
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return "[]"
	}
	if kv, ok := elem.(*ast.KeyValueExpr); ok {
		if id, ok := kv.Key.(*ast.Ident); ok {
			return "." + id.Name
		}
		return ""
	}
	if idx >= 0 && idx < st.NumFields() {
		return "." + st.Field(idx).Name()
	}
	return ""
}

// callArg classifies what call does with the order of its argument idx.
func (c *checker) callArg(call *ast.CallExpr, idx int) argUse {
	switch obj := typeutil.Callee(c.info, call).(type) {
	case *types.Builtin:
		switch obj.Name() {
		case "append":
			return argUse{role: roleThrough, fresh: idx > 0 && call.Ellipsis.IsValid()}
		case "copy":
			if idx == 1 {
				return argUse{role: roleCopy}
			}
		}
		return argUse{role: roleNeutral}
	case *types.Func:
		fn := obj.Origin()
		if u, ok := classifyStd(call, fn, idx); ok {
			u.via = calleeName(c.info, call)
			return u
		}
		if pi := c.paramIndex(call, fn, idx); pi >= 0 {
			if fn == c.assume.fn && pi == c.assume.index {
				return argUse{role: roleNeutral}
			}
			po := c.paramOrderOf(fn)
			switch {
			case po == nil:
			case slices.Contains(po.sorts, pi):
				return argUse{role: roleSorts}
			case slices.Contains(po.ignores, pi):
				return argUse{role: roleNeutral}
			}
		}
	}
	return argUse{role: roleSink, kind: sinkCall, via: calleeName(c.info, call)}
}

// paramIndex maps argument idx of call to the index of the parameter of fn
// that receives it, or -1 when the argument is one element of a variadic
// parameter (facts about the parameter then say nothing about it).
func (c *checker) paramIndex(call *ast.CallExpr, fn *types.Func, idx int) int {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if tv, ok := c.info.Types[sel.X]; ok && tv.IsType() {
			return -1 // method expression T.M(recv, args...): arguments are shifted
		}
	}
	sig := fn.Signature()
	n := sig.Params().Len()
	if sig.Variadic() && idx >= n-1 {
		if call.Ellipsis.IsValid() && idx == n-1 {
			return idx
		}
		return -1
	}
	if idx < n {
		return idx
	}
	return -1
}

// followSource follows the slice a source call returns (slices.Collect of
// maps.Keys and the like).
func (c *checker) followSource(call inspector.Cursor) []hit {
	fn, ok := outermostFunc(call)
	if !ok {
		return nil
	}
	f := c.newFollow(fn, call.Node().End(), 0)
	src := member{name: types.ExprString(call.Node().(ast.Expr))}
	f.apply(src, f.classify(call))
	f.run()
	return f.hits
}
