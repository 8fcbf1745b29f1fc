package maporder

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

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
	parent  []int         // class -> parent class; class 0 is the followed value's own
	kills   [][]token.Pos // class -> where it is sorted
	pending []pending
	hits    []hit
	// graph is the control flow of the scope's body, when the origin is in
	// that body itself (not in a function literal inside it); origin is the
	// point the value starts from. Without a graph, source order decides
	// whether a sort comes before a use.
	graph  *kit.Graph
	origin kit.Point
	guards []lenGuard // the length guards of the scope's body (with graph)
}

func (c *checker) newFollow(scope inspector.Cursor, start token.Pos, depth int) *follow {
	f := &follow{c: c, scope: scope, start: start, depth: depth, parent: []int{-1}, kills: [][]token.Pos{nil}}
	var body *ast.BlockStmt
	switch n := scope.Node().(type) {
	case *ast.FuncDecl:
		body = n.Body
	case *ast.FuncLit:
		body = n.Body
	}
	if body == nil || innermostFunc(scope, start) != scope.Node() {
		return f
	}
	g := c.graphOf(body)
	if start <= body.Lbrace {
		f.graph, f.origin = g, g.Entry()
	} else if p, ok := g.PointAfter(start); ok {
		f.graph, f.origin = g, p
	}
	if f.graph != nil {
		f.guards = c.guardsOf(body, g)
	}
	return f
}

// graphOf returns the control-flow graph of a function body, built once.
func (c *checker) graphOf(body *ast.BlockStmt) *kit.Graph {
	if g, ok := c.graphs[body]; ok {
		return g
	}
	if c.graphs == nil {
		c.graphs = make(map[*ast.BlockStmt]*kit.Graph)
	}
	g := kit.NewGraph(c.info, body)
	c.graphs[body] = g
	return g
}

// innermostFunc returns the innermost function declaration or literal of
// scope that contains pos.
func innermostFunc(scope inspector.Cursor, pos token.Pos) ast.Node {
	var inner ast.Node = scope.Node()
	scope.Inspect([]ast.Node{(*ast.FuncLit)(nil)}, func(cur inspector.Cursor) bool {
		n := cur.Node()
		if n.Pos() <= pos && pos < n.End() {
			inner = n
			return true
		}
		return false
	})
	return inner
}

// killsOf returns where class, or a class it was copied from, is sorted.
func (f *follow) killsOf(class int) []token.Pos {
	var out []token.Pos
	for ; class >= 0; class = f.parent[class] {
		out = append(out, f.kills[class]...)
	}
	return out
}

// points places positions in the graph; ok is false when one has no place.
func (f *follow) points(ps []token.Pos) ([]kit.Point, bool) {
	out := make([]kit.Point, 0, len(ps))
	for _, p := range ps {
		pt, ok := f.graph.PointAt(p)
		if !ok {
			// A loop's own position (outerLoop) is in no node: its
			// entry is the first node at or after it.
			pt, ok = f.graph.PointAfter(p)
		}
		if !ok {
			return nil, false
		}
		out = append(out, pt)
	}
	return out, true
}

// dead reports whether class, or a class it was copied from, is sorted on
// every path from the origin to at, or holds at most one element there.
func (f *follow) dead(class int, at token.Pos) bool {
	kills := f.killsOf(class)
	edges := f.smallEdges(class)
	if len(kills) == 0 && len(edges) == 0 {
		return false
	}
	if f.graph != nil {
		if to, ok := f.graph.PointAt(at); ok {
			if via, ok := f.points(kills); ok {
				return f.graph.Covered(f.origin, to, via, edges...)
			}
		}
	}
	return slices.ContainsFunc(kills, func(k token.Pos) bool { return k < at })
}

// sortedToExit reports whether class is sorted (or holds at most one
// element) on every path from at out of the function.
func (f *follow) sortedToExit(class int, at token.Pos) bool {
	kills := f.killsOf(class)
	edges := f.smallEdges(class)
	if len(kills) == 0 && len(edges) == 0 {
		return false
	}
	if f.graph != nil {
		if from, ok := f.graph.PointAt(at); ok {
			if via, ok := f.points(kills); ok {
				return f.graph.CoveredToExit(from, via, edges...)
			}
		}
	}
	return slices.ContainsFunc(kills, func(k token.Pos) bool { return k > at })
}

// lenGuard is an if statement that tests the length of a name: on one of
// its branches the name holds at most one element.
type lenGuard struct {
	ifs  *ast.IfStmt
	key  key
	edge kit.Edge // the branch on which the name is that short
}

// guardsOf returns the length guards of a function body, found once per
// body and graph.
func (c *checker) guardsOf(body *ast.BlockStmt, g *kit.Graph) []lenGuard {
	if gs, ok := c.guards[body]; ok {
		return gs
	}
	var gs []lenGuard
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			return true
		}
		x, whenSmall, ok := lenTest(c.info, ifs.Cond)
		if !ok {
			return true
		}
		k, ok := c.keyOf(x)
		if !ok {
			return true
		}
		if e, ok := g.Branch(ifs, whenSmall); ok {
			gs = append(gs, lenGuard{ifs: ifs, key: k, edge: e})
		}
		return true
	})
	if c.guards == nil {
		c.guards = make(map[*ast.BlockStmt][]lenGuard)
	}
	c.guards[body] = gs
	return gs
}

// smallEdges returns the branches of if statements after the origin on
// which a name of class (or of a class it was copied from) has at most
// one element: `if len(keys) < 2 { return keys }` shows no order, nor does
// the path that skips `if len(keys) > 1 { sort.Strings(keys) }`.
func (f *follow) smallEdges(class int) []kit.Edge {
	var out []kit.Edge
	for _, g := range f.guards {
		if g.ifs.Pos() < f.start {
			continue
		}
		for _, m := range f.members {
			if g.key.covers(m.key) && f.descends(class, m.class) {
				out = append(out, g.edge)
				break
			}
		}
	}
	return out
}

// lenTest recognises a condition that compares len(x) with a constant and
// says on which branch x has at most one element.
func lenTest(info *types.Info, cond ast.Expr) (x ast.Expr, whenSmall bool, ok bool) {
	be, isBin := ast.Unparen(cond).(*ast.BinaryExpr)
	if !isBin {
		return nil, false, false
	}
	lenOf := func(e ast.Expr) ast.Expr {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if ok && len(call.Args) == 1 && kit.IsBuiltin(info, call, "len") {
			return call.Args[0]
		}
		return nil
	}
	constOf := func(e ast.Expr) (int64, bool) {
		tv := info.Types[e]
		if tv.Value == nil || tv.Value.Kind() != constant.Int {
			return 0, false
		}
		return constant.Int64Val(tv.Value)
	}
	op := be.Op
	x = lenOf(be.X)
	c, isConst := constOf(be.Y)
	if x == nil {
		// c OP len(x): flip to len(x) OP' c.
		x = lenOf(be.Y)
		c, isConst = constOf(be.X)
		switch op {
		case token.LSS:
			op = token.GTR
		case token.GTR:
			op = token.LSS
		case token.LEQ:
			op = token.GEQ
		case token.GEQ:
			op = token.LEQ
		}
	}
	if x == nil || !isConst {
		return nil, false, false
	}
	switch {
	case op == token.EQL && c <= 1, op == token.LEQ && c <= 1, op == token.LSS && c <= 2:
		return x, true, true // small when true
	case op == token.GTR && c >= 0 && c <= 1, op == token.GEQ && c >= 1 && c <= 2, op == token.NEQ && c == 0:
		return x, false, true // small when false
	}
	return nil, false, false
}

// descends reports whether class was copied (directly or not) from anc,
// or is anc.
func (f *follow) descends(class, anc int) bool {
	for ; class >= 0; class = f.parent[class] {
		if class == anc {
			return true
		}
	}
	return false
}

// kill records that class is sorted at pos.
func (f *follow) kill(class int, pos token.Pos) {
	f.kills[class] = append(f.kills[class], pos)
}

// rootSorted reports whether the followed value itself is sorted on every
// path through the function.
func (f *follow) rootSorted() bool {
	if f.graph == nil {
		return len(f.kills[0]) > 0
	}
	via, ok := f.points(f.kills[0])
	if !ok {
		return len(f.kills[0]) > 0
	}
	return len(via) > 0 && f.graph.CoveredToExit(f.origin, via, f.smallEdges(0)...)
}

// match returns the member that a use of k at pos reads, if it is still
// in map order there.
func (f *follow) match(k key, at token.Pos) (member, bool) {
	for _, m := range f.members {
		if k.covers(m.key) && !f.dead(m.class, at) {
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
			if m, ok := f.match(key{root: obj}, n.Pos()); ok && !f.c.unreachable(cur) {
				f.apply(m, f.classify(cur), n.Pos())
			}
		case *ast.SelectorExpr:
			if k, ok := f.c.keyOf(n); ok {
				if m, ok := f.match(k, n.Pos()); ok {
					if !f.c.unreachable(cur) {
						f.apply(m, f.classify(cur), n.Pos())
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
		if !f.sortedToExit(p.class, p.hit.sink.Pos()) {
			f.hits = append(f.hits, p.hit)
		}
	}
	f.pending = nil
}

// bareReturn reports a bare return that returns a followed named result.
func (f *follow) bareReturn(cur inspector.Cursor, ret *ast.ReturnStmt) {
	if namedUnordered(cur) {
		return
	}
	_, ft, _, ok := kit.EnclosingFunc(cur)
	if !ok || ft.Results == nil {
		return
	}
	for _, field := range ft.Results.List {
		for _, name := range field.Names {
			if m, ok := f.match(key{root: f.c.info.Defs[name]}, ret.Pos()); ok {
				f.hits = append(f.hits, hit{sink: ret, kind: sinkReturn, carrier: m.name})
				return
			}
		}
	}
}

// namedUnordered reports whether the function declaration around cur says
// in its name that its result is unordered (UnsortedList, keysUnordered):
// returning map order is its contract.
//
// A Keys() or Values() method says the same, as maps.Keys does (an
// OpenTelemetry carrier's Keys, AddressMap.Keys), and so do the Elements,
// Items and Members methods of a type named as a map or a set.
func namedUnordered(cur inspector.Cursor) bool {
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		fd := fn.Node().(*ast.FuncDecl)
		name := strings.ToLower(fd.Name.Name)
		if strings.Contains(name, "unsorted") || strings.Contains(name, "unordered") {
			return true
		}
		if fd.Recv == nil || len(fd.Recv.List) != 1 {
			return false
		}
		if (fd.Name.Name == "Keys" || fd.Name.Name == "Values") && fd.Type.Params.NumFields() == 0 {
			return true // like maps.Keys: the keys of a map-like value, in no promised order
		}
		switch fd.Name.Name {
		case "Keys", "Values", "Elements", "Items", "Members":
			recv := strings.ToLower(types.ExprString(fd.Recv.List[0].Type))
			return strings.Contains(recv, "map") || strings.Contains(recv, "set")
		}
		return false
	}
	return false
}

// action is what a use does with the followed order.
type action int

const (
	actNeutral     action = iota // nothing observable
	actSorted                    // sorts it in place
	actAlias                     // copies it into another variable or field
	actSink                      // makes it observable
	actLoop                      // ranges over it: the loop is in map order
	actOverwritten               // it is replaced by a value that is not in map order
)

// outcome is the classification of one use.
type outcome struct {
	action action
	at     token.Pos        // actSorted: where the sort happens, when not at the use
	kind   sinkKind         // actSink
	node   ast.Node         // actSink: the sink
	via    string           // actSink: the callee
	callee *types.Func      // actSink: the callee, if static
	dest   types.Type       // actSink: the writer written, if any
	key    key              // actAlias: the new name
	name   string           // actAlias
	fresh  bool             // actAlias: the new name has its own backing array
	store  ast.Node         // actAlias: set when the new name outlives the function
	loop   inspector.Cursor // actLoop
}

// apply records the effect of a use of m at pos.
func (f *follow) apply(m member, o outcome, at token.Pos) {
	switch o.action {
	case actSorted:
		if o.at.IsValid() {
			at = o.at
		}
		f.kill(m.class, at)
	case actAlias:
		for _, x := range f.members {
			if x.key == o.key && !f.dead(x.class, at) {
				return // s = append(s, x), s = s[:n]: same value
			}
		}
		class := m.class
		if o.fresh {
			f.parent = append(f.parent, m.class)
			f.kills = append(f.kills, nil)
			class = len(f.parent) - 1
		}
		f.members = append(f.members, member{key: o.key, name: o.name, class: class})
		if o.store != nil {
			f.pending = append(f.pending, pending{hit: hit{sink: o.store, kind: sinkStore, carrier: o.name}, class: class})
		}
	case actSink:
		f.hits = append(f.hits, hit{sink: o.node, kind: o.kind, carrier: m.name, via: o.via, callee: o.callee, dest: o.dest})
	case actOverwritten:
		f.members = slices.DeleteFunc(f.members, func(x member) bool { return m.key.covers(x.key) })
	case actLoop:
		if f.depth < maxDepth {
			f.hits = append(f.hits, f.c.scanLoop(o.loop, f.depth+1)...)
		}
	}
}

// outerLoop returns the position of the outermost loop around cur that
// starts after the followed value's origin, or NoPos.
func (f *follow) outerLoop(cur inspector.Cursor) token.Pos {
	pos := token.NoPos
	for p := cur; ; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() > f.start {
				pos = n.Pos()
			}
		case *ast.FuncDecl, *ast.FuncLit, *ast.File, nil:
			return pos
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
		case *ast.IndexExpr:
			if ek == edge.IndexExpr_X && isSwap(parent) {
				// Shuffled or sorted by hand: the loops around the swap
				// visit the whole slice (or it is too short to have an
				// order), so the slice counts as sorted where they start.
				return outcome{action: actSorted, at: f.outerLoop(parent)}
			}
			return outcome{}
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
				fn, _ := typeutil.Callee(c.info, p).(*types.Func)
				return outcome{action: actSink, kind: u.kind, node: p, via: u.via, callee: fn, dest: c.writerOf(p)}
			case roleCopy:
				if len(p.Args) == 2 {
					return f.assignTo(parent, p.Args[0], "", true, p)
				}
				return outcome{}
			case roleThrough:
				fresh = fresh || u.fresh
			}
		case *ast.ReturnStmt:
			if namedUnordered(parent) {
				return outcome{}
			}
			return outcome{action: actSink, kind: sinkReturn, node: p}
		case *ast.AssignStmt:
			if ek == edge.AssignStmt_Lhs && cur == use && p.Tok == token.ASSIGN && len(p.Lhs) == len(p.Rhs) && f.overwrites(p.Rhs[idx]) {
				return outcome{action: actOverwritten}
			}
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

// overwrites reports whether assigning rhs to a followed name replaces its
// value with one that is not in map order: a value that does not mention
// any followed name (nil, make(...), other), or the result of a call that
// sorts or ignores the followed value (keys = sortedCopy(keys)).
func (f *follow) overwrites(rhs ast.Expr) bool {
	mentions := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if found {
				return false
			}
			if x, ok := n.(ast.Expr); ok {
				if k, ok := f.c.keyOf(x); ok {
					if _, ok := f.match(k, x.Pos()); ok {
						found = true
					}
				}
			}
			return true
		})
		return found
	}
	rhs = ast.Unparen(rhs)
	if !mentions(rhs) {
		return true
	}
	call, ok := rhs.(*ast.CallExpr)
	if !ok {
		return false
	}
	if tv, ok := f.c.info.Types[call.Fun]; ok && tv.IsType() {
		return false // conversion
	}
	for i, a := range call.Args {
		if !mentions(a) {
			continue
		}
		switch f.c.callArg(call, i).role {
		case roleNeutral, roleSorts:
		default:
			return false
		}
	}
	return true
}

// isSwap reports whether the index expression at cur is one side of a swap
// s[i], s[j] = s[j], s[i]: the slice is being reordered on purpose (a
// shuffle or a hand-written sort), so its map order no longer shows.
func isSwap(cur inspector.Cursor) bool {
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	return ok && isSwapStmt(as)
}

// isSwapStmt reports whether as is a swap x, y = y, x.
func isSwapStmt(as *ast.AssignStmt) bool {
	if as.Tok != token.ASSIGN || len(as.Lhs) != 2 || len(as.Rhs) != 2 {
		return false
	}
	str := types.ExprString
	return str(as.Lhs[0]) == str(as.Rhs[1]) && str(as.Lhs[1]) == str(as.Rhs[0]) && str(as.Lhs[0]) != str(as.Lhs[1])
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
			u.via = kit.CallName(c.info, call)
			return u
		}
		if pi := c.paramIndex(call, fn, idx); pi >= 0 {
			if fn == c.assume.fn && pi == c.assume.index {
				return argUse{role: roleNeutral}
			}
			po := c.paramOrderOf(fn)
			if po == nil {
				po = c.implsOrder(fn)
			}
			switch {
			case po == nil:
			case slices.Contains(po.sorts, pi):
				return argUse{role: roleSorts}
			case slices.Contains(po.ignores, pi):
				return argUse{role: roleNeutral}
			}
		}
	}
	return argUse{role: roleSink, kind: sinkCall, via: kit.CallName(c.info, call)}
}

// implsOrder summarises an unexported interface method by its
// implementations: only this package can implement it, so when every
// type of the package that does sorts (or ignores the order of) a
// parameter, so does a call through the interface. nil when fn is not
// such a method or no type implements it.
func (c *checker) implsOrder(fn *types.Func) *paramOrder {
	recv := fn.Signature().Recv()
	if recv == nil || fn.Exported() || fn.Pkg() != c.pass.Pkg {
		return nil
	}
	iface, ok := recv.Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var sorts, hides []int // sorted by every implementation; sorted or ignored by every one
	found := false
	scope := c.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
			continue
		}
		t := tn.Type()
		if !types.Implements(t, iface) {
			if !types.Implements(types.NewPointer(t), iface) {
				continue
			}
			t = types.NewPointer(t)
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, c.pass.Pkg, fn.Name())
		m, ok := obj.(*types.Func)
		if !ok {
			return nil
		}
		if r := m.Signature().Recv(); r != nil && types.IsInterface(r.Type()) {
			continue // promoted from an embedded interface: another type implements it
		}
		po := c.paramOrderOf(m)
		if po == nil {
			return nil // one implementation shows the order, or is unknown
		}
		hide := slices.Concat(po.sorts, po.ignores)
		if !found {
			sorts, hides, found = po.sorts, hide, true
			continue
		}
		sorts, hides = intersect(sorts, po.sorts), intersect(hides, hide)
	}
	if !found {
		return nil
	}
	out := &paramOrder{sorts: sorts}
	for _, i := range hides {
		if !slices.Contains(sorts, i) {
			out.ignores = append(out.ignores, i)
		}
	}
	return out
}

// intersect returns the elements of a also in b.
func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
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
	f.apply(src, f.classify(call), call.Node().End())
	f.run()
	return f.hits
}

// writerOf returns the type of the writer a call writes to: the first
// argument of fmt.Fprint*, the receiver of a Write method.
func (c *checker) writerOf(call *ast.CallExpr) types.Type {
	fn, _ := typeutil.Callee(c.info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	if kit.PkgPath(fn) == "fmt" && strings.HasPrefix(fn.Name(), "Fprint") && len(call.Args) > 0 {
		return c.info.TypeOf(call.Args[0])
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
		return c.info.TypeOf(sel.X)
	}
	return nil
}
