package loopvar

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"go/version"
	"path/filepath"
	"sort"
	"strings"

	"github.com/upshift-dev/upshift/rewrite"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports loop variables whose address or closure outlives an
// iteration in files whose language version is below go1.22.
var Analyzer = &analysis.Analyzer{
	Name:      "loopvar",
	Doc:       meta.MustExtractDoc(doc, "loopvar"),
	URL:       meta.DocsURL + "loopvar",
	Requires:  []*analysis.Analyzer{inspect.Analyzer, rewrite.Fixes},
	Run:       run,
	FactTypes: []analysis.Fact{new(keepsFact)},
}

// Check is the metadata behind `upshift explain loopvar`.
var Check = meta.Check{
	Analyzer: Analyzer,
	Name:     "loopvar",
	ID:       "UP1006",
	Title:    meta.Title(Analyzer.Doc),
	Doc:      Analyzer.Doc,
	Finds: "in files below go 1.22: loop variables whose address is kept or that are captured by " +
		"goroutines, defers, stored closures or parallel subtests — code whose behaviour changes " +
		"when the go line crosses 1.22.",
	Why: "Raising the go line to 1.22 gives every loop iteration its own variable. Code that kept &v " +
		"or a closure over v saw one shared variable before (every stored pointer aliased the last " +
		"element, every goroutine or parallel subtest saw the last case) and sees per-iteration copies " +
		"after: the same source changes behaviour with no diff, in either direction (letsencrypt/boulder " +
		"PR #4690, kubernetes/kubernetes#98213).",
	Before: `// go.mod: go 1.21
func ptrs(items []Item) []*Item {
	var out []*Item
	for _, item := range items {
		out = append(out, &item) // every element points at the last item
	}
	return out
}`,
	After: `// go.mod: go 1.21
func ptrs(items []Item) []*Item {
	var out []*Item
	for i := range items {
		out = append(out, &items[i]) // same result before and after go 1.22
	}
	return out
}`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Behavior,
	URL:      Analyzer.URL,
}

// newSemantics is the first language version with per-iteration loop
// variables.
const newSemantics = "go1.22"

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	c := newChecker(pass)
	// The standard library is always at the newest language version and
	// its callees are described by knownCallee, so it needs no summaries.
	if !inGOROOT(pass) {
		c.summarize()
	}
	for _, f := range c.findings() {
		d := f.diagnostic()
		suggest(pass, f, &d)
		pass.Report(d)
	}
	return nil, nil
}

func newChecker(pass *analysis.Pass) *checker {
	c := &checker{
		pass:  pass,
		info:  pass.TypesInfo,
		root:  pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root(),
		index: make(map[ast.Node]map[*types.Var][]inspector.Cursor),
	}
	c.sums = &kit.Summaries[paramFlows]{
		Compute: func(d kit.Decl) paramFlows { return c.summarizeFunc(d.Fn, d.Cursor) },
		Equal:   paramFlows.equal,
		Import: func(fn *types.Func) (paramFlows, bool) {
			var fact keepsFact
			if pass.ImportObjectFact(fn, &fact) {
				return fact.Flows, true
			}
			return paramFlows{}, false
		},
	}
	return c
}

// inGOROOT reports whether the package belongs to the standard library.
func inGOROOT(pass *analysis.Pass) bool {
	root := build.Default.GOROOT
	if root == "" || len(pass.Files) == 0 {
		return false
	}
	tf := pass.Fset.File(pass.Files[0].Pos())
	if tf == nil {
		return false
	}
	return strings.HasPrefix(tf.Name(), filepath.Join(root, "src")+string(filepath.Separator))
}

// A sinkKind says how an alias of a loop variable leaves its iteration.
type sinkKind uint8

const (
	// sinkStore: kept in a place that collects one entry per iteration
	// (append, slice element, map, channel, a callee that keeps it).
	sinkStore sinkKind = iota + 1
	// sinkSlot: kept in one outer variable or field, overwritten each time.
	sinkSlot
	// sinkGo: used by another goroutine.
	sinkGo
	// sinkDefer: used when the function returns or the test ends.
	sinkDefer
	// sinkParallel: used by a parallel subtest.
	sinkParallel
	// sinkReturn: returned by the function being summarized.
	sinkReturn
	// sinkRecv: stored in memory reached from the receiver of the function
	// being summarized (kept only as long as the receiver is).
	sinkRecv
)

// An escape is where an alias of a tracked variable leaves its region.
type escape struct {
	kind sinkKind
	// sink is the statement or call through which the alias leaves.
	sink ast.Node
	// where completes "... is <where>", e.g. "appended to result".
	where string
	// slot, for sinkSlot, names the reason the single store matters.
	slot slotReason
	// use, when set, is the captured reference that matters (parallel
	// subtests ignore references before t.Parallel()).
	use *ast.Ident
}

// slotReason says why overwriting one outer variable with an alias of a
// range or loop variable is visible.
type slotReason uint8

const (
	slotThreeClause slotReason = iota + 1 // post statement moves the variable on
	slotConditional                       // only some iterations store
	slotReadLater                         // a later iteration reads the slot
)

// originKind says how the loop variable is referenced.
type originKind uint8

const (
	originAddr    originKind = iota + 1 // &v, &v.f, v[:] of an array
	originMethod                        // v.M or v.M() with a pointer receiver
	originClosure                       // a func literal capturing v
)

// A finding is one reference to loop variables that outlives an iteration.
// It keeps the nodes a rewrite needs: the loop, the declaring identifiers
// (where a per-iteration copy goes) and the origin expression.
type finding struct {
	pass    *analysis.Pass
	loop    ast.Stmt     // *ast.RangeStmt or *ast.ForStmt
	decls   []*ast.Ident // declaring identifiers of the escaping variables
	origin  ast.Node     // *ast.UnaryExpr, *ast.SliceExpr, *ast.SelectorExpr or *ast.FuncLit
	okind   originKind
	use     *ast.Ident // the reported reference to the loop variable
	esc     *escape
	version string // the file's language version, e.g. "go1.21"
	fromTag bool   // the version comes from a //go:build line
}

// checker holds the per-pass state of the analysis.
type checker struct {
	pass *analysis.Pass
	info *types.Info
	root inspector.Cursor
	// sums are the parameter summaries: this package's, to a fixpoint,
	// and imported functions' from facts.
	sums *kit.Summaries[paramFlows]
	// index maps a top-level declaration to the uses of its variables.
	index map[ast.Node]map[*types.Var][]inspector.Cursor
}

// usesIn returns the uses of local variables inside the top-level
// declaration decl.
func (c *checker) usesIn(decl inspector.Cursor) map[*types.Var][]inspector.Cursor {
	if m, ok := c.index[decl.Node()]; ok {
		return m
	}
	m := make(map[*types.Var][]inspector.Cursor)
	for ic := range decl.Preorder((*ast.Ident)(nil)) {
		if v, ok := c.info.Uses[ic.Node().(*ast.Ident)].(*types.Var); ok && !v.IsField() {
			m[v] = append(m[v], ic)
		}
	}
	c.index[decl.Node()] = m
	return m
}

// topDecl returns the top-level declaration enclosing cur.
func topDecl(cur inspector.Cursor) inspector.Cursor {
	for {
		if cur.ParentEdgeKind() == edge.File_Decls {
			return cur
		}
		cur = cur.Parent()
	}
}

// fileVersion returns the language version of file and whether it comes
// from the file's own //go:build constraint; "" means unknown.
func fileVersion(pass *analysis.Pass, file *ast.File) (string, bool) {
	v := pass.TypesInfo.FileVersions[file]
	if v == "" {
		v = pass.Pkg.GoVersion()
	}
	if v == "" || !version.IsValid(v) {
		return "", false
	}
	return version.Lang(v), file.GoVersion != ""
}

// findings returns the escaping loop variables of the files that still
// have per-loop semantics.
func (c *checker) findings() []*finding {
	var out []*finding
	for fc := range c.root.Children() {
		file := fc.Node().(*ast.File)
		v, fromTag := fileVersion(c.pass, file)
		if v == "" || version.Compare(v, newSemantics) >= 0 {
			continue
		}
		for lc := range fc.Preorder((*ast.RangeStmt)(nil), (*ast.ForStmt)(nil)) {
			for _, f := range c.checkLoop(lc) {
				f.version, f.fromTag = v, fromTag
				out = append(out, f)
			}
		}
	}
	return out
}

// loopVars returns the identifiers a loop statement declares.
func loopVars(loop ast.Stmt) []*ast.Ident {
	var ids []*ast.Ident
	add := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			ids = append(ids, id)
		}
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Tok == token.DEFINE {
			add(l.Key)
			add(l.Value)
		}
	case *ast.ForStmt:
		if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, e := range as.Lhs {
				add(e)
			}
		}
	}
	return ids
}

// loopBody returns the body of a loop statement.
func loopBody(loop ast.Stmt) *ast.BlockStmt {
	if r, ok := loop.(*ast.RangeStmt); ok {
		return r.Body
	}
	return loop.(*ast.ForStmt).Body
}

// checkLoop returns the references to loop's variables that leave an
// iteration: first the escaping func literals, then the addresses taken
// outside them.
func (c *checker) checkLoop(lc inspector.Cursor) []*finding {
	loop := lc.Node().(ast.Stmt)
	ids := loopVars(loop)
	if len(ids) == 0 {
		return nil
	}
	bodyC, ok := lc.FindNode(loopBody(loop))
	if !ok {
		return nil
	}
	var fnC inspector.Cursor
	for fc := range lc.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		fnC = fc
		break
	}
	if !fnC.Valid() {
		return nil
	}
	r := newRegion(c, loopMode, bodyC, c.usesIn(topDecl(lc)))
	r.loop, r.loopC, r.fn = loop, lc, fnC.Node()
	declOf := make(map[*types.Var]*ast.Ident)
	var vars []*types.Var
	for _, id := range ids {
		if v, ok := c.info.Defs[id].(*types.Var); ok {
			r.loopVars[v] = true
			declOf[v] = id
			vars = append(vars, v)
		}
	}

	// Func literals capturing loop variables, outermost first.
	type capture struct {
		vars []*types.Var
		uses []*ast.Ident
		cur  inspector.Cursor
	}
	lits := make(map[*ast.FuncLit]*capture)
	var order []*ast.FuncLit
	for _, v := range vars {
		for _, u := range r.uses[v] {
			if !r.inBody(u.Node()) {
				continue
			}
			for lcur := range u.Enclosing((*ast.FuncLit)(nil)) {
				lit := lcur.Node().(*ast.FuncLit)
				if lit.Pos() < loop.Pos() {
					break
				}
				cp := lits[lit]
				if cp == nil {
					cp = &capture{cur: lcur}
					lits[lit] = cp
					order = append(order, lit)
				}
				if len(cp.vars) == 0 || cp.vars[len(cp.vars)-1] != v {
					cp.vars = append(cp.vars, v)
				}
				cp.uses = append(cp.uses, u.Node().(*ast.Ident))
			}
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Pos() < order[j].Pos() })

	var out []*finding
	var reported []ast.Node
	within := func(n ast.Node) bool {
		for _, p := range reported {
			if p.Pos() <= n.Pos() && n.End() <= p.End() {
				return true
			}
		}
		return false
	}
	decls := func(vs []*types.Var) []*ast.Ident {
		var out []*ast.Ident
		for _, v := range vs {
			out = append(out, declOf[v])
		}
		return out
	}
	for _, lit := range order {
		if within(lit) {
			continue
		}
		cp := lits[lit]
		e := r.follow(cp.cur, false, false, cp.uses)
		if e == nil {
			continue
		}
		use, vs := cp.uses[0], cp.vars
		if uv, ok := c.info.Uses[e.use].(*types.Var); ok && r.loopVars[uv] {
			use, vs = e.use, []*types.Var{uv}
		}
		out = append(out, &finding{pass: c.pass, loop: loop, decls: decls(vs), origin: lit, okind: originClosure, use: use, esc: e})
		reported = append(reported, lit)
	}
	for _, v := range vars {
		for _, u := range r.uses[v] {
			if !r.inBody(u.Node()) || within(u.Node()) {
				continue
			}
			oc, kind := r.addrOrigin(u)
			if kind == 0 {
				continue
			}
			var e *escape
			if kind == originMethod {
				e = r.methodOrigin(oc)
			} else {
				e = r.follow(oc, true, false, nil)
			}
			if e == nil {
				continue
			}
			out = append(out, &finding{pass: c.pass, loop: loop, decls: decls([]*types.Var{v}), origin: oc.Node(), okind: kind, use: u.Node().(*ast.Ident), esc: e})
		}
	}
	return out
}

// addrOrigin returns the expression that takes the address of the loop
// variable used at u (directly or through value fields and array
// elements), or kind 0 when u is just read.
func (r *region) addrOrigin(u inspector.Cursor) (inspector.Cursor, originKind) {
	cur := u
	for {
		p := cur.Parent()
		switch cur.ParentEdgeKind() {
		case edge.ParenExpr_X:
		case edge.SelectorExpr_X:
			s := r.c.info.Selections[p.Node().(*ast.SelectorExpr)]
			if s == nil || s.Indirect() {
				return cur, 0
			}
			switch s.Kind() {
			case types.FieldVal:
			case types.MethodVal:
				if ptrRecv(s.Obj()) && !isPointer(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
					return p, originMethod
				}
				return cur, 0
			default:
				return cur, 0
			}
		case edge.IndexExpr_X:
			if !isArray(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
				return cur, 0
			}
		case edge.UnaryExpr_X:
			if p.Node().(*ast.UnaryExpr).Op == token.AND {
				return p, originAddr
			}
			return cur, 0
		case edge.SliceExpr_X:
			if isArray(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
				return p, originAddr
			}
			return cur, 0
		default:
			return cur, 0
		}
		cur = p
	}
}

// methodOrigin follows v.M where M has a pointer receiver: a call passes
// &v as the receiver, a method value keeps &v.
func (r *region) methodOrigin(selC inspector.Cursor) *escape {
	if selC.ParentEdgeKind() == edge.CallExpr_Fun {
		s := r.c.info.Selections[selC.Node().(*ast.SelectorExpr)]
		return r.callReceiver(selC.Parent(), s, true)
	}
	return r.follow(selC, false, false, nil)
}

// under returns the underlying type of e, or nil when it is unknown.
func under(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t.Underlying()
	}
	return nil
}

func ptrRecv(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && isPointer(recv.Type())
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func isArray(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Array)
	return ok
}

// mode says what region an analysis of flows works in.
type mode uint8

const (
	// loopMode follows aliases of loop variables out of one iteration.
	loopMode mode = iota + 1
	// funcMode follows parameters out of a call, to summarize a function.
	funcMode
)

// A region is the code an alias must stay in: a loop body, or a function
// body being summarized.
type region struct {
	c     *checker
	mode  mode
	body  *ast.BlockStmt
	bodyC inspector.Cursor
	uses  map[*types.Var][]inspector.Cursor

	// loop mode
	loop     ast.Stmt
	loopC    inspector.Cursor
	fn       ast.Node // innermost function holding the loop
	loopVars map[*types.Var]bool

	// func mode
	recv    *types.Var
	results map[*types.Var]bool
	flags   flow

	localSeen map[*types.Var]*escape
	litSeen   map[litKey]*escape
}

type litKey struct {
	lit *ast.FuncLit
	v   *types.Var
}

func newRegion(c *checker, m mode, bodyC inspector.Cursor, uses map[*types.Var][]inspector.Cursor) *region {
	return &region{
		c:         c,
		mode:      m,
		body:      bodyC.Node().(*ast.BlockStmt),
		bodyC:     bodyC,
		uses:      uses,
		loopVars:  make(map[*types.Var]bool),
		results:   make(map[*types.Var]bool),
		localSeen: make(map[*types.Var]*escape),
		litSeen:   make(map[litKey]*escape),
	}
}

func (r *region) inBody(n ast.Node) bool {
	return r.body.Pos() <= n.Pos() && n.End() <= r.body.End()
}

// isLocal reports whether v is declared inside the region's body, so that
// it does not outlive an iteration (or a call) by itself.
func (r *region) isLocal(v *types.Var) bool {
	return r.body.Pos() <= v.Pos() && v.Pos() < r.body.End() && !r.loopVars[v]
}

// follow walks up from the expression at cur, which holds an alias of a
// tracked variable, and returns where that alias leaves the region. direct
// means the value is the pointer itself (selecting a field through it
// reads a value); acc means it was appended to a collection; capt are the
// captured references when cur is a func literal.
func (r *region) follow(cur inspector.Cursor, direct, acc bool, capt []*ast.Ident) *escape {
	for {
		if e, ok := cur.Node().(ast.Expr); ok {
			if t := r.c.info.TypeOf(e); t != nil && !mayAlias(t) {
				return nil // a number, string or bool cannot alias anything
			}
		}
		p := cur.Parent()
		ek, idx := cur.ParentEdge()
		switch ek {
		case edge.ParenExpr_X, edge.SliceExpr_X, edge.TypeAssertExpr_X,
			edge.KeyValueExpr_Key, edge.KeyValueExpr_Value:
		case edge.StarExpr_X:
			if direct {
				return nil
			}
		case edge.UnaryExpr_X:
			if p.Node().(*ast.UnaryExpr).Op != token.AND {
				return nil
			}
			direct = false
		case edge.CompositeLit_Elts:
			direct = false
		case edge.IndexExpr_X:
			if direct {
				return nil
			}
		case edge.SelectorExpr_X:
			s := r.c.info.Selections[p.Node().(*ast.SelectorExpr)]
			if s == nil {
				return nil
			}
			switch s.Kind() {
			case types.FieldVal:
				if direct {
					// p.f reads through the pointer; only &p.f aliases again.
					if p.ParentEdgeKind() == edge.UnaryExpr_X && p.Parent().Node().(*ast.UnaryExpr).Op == token.AND {
						cur = p.Parent()
						continue
					}
					return nil
				}
			case types.MethodVal:
				if p.ParentEdgeKind() == edge.CallExpr_Fun {
					return r.callReceiver(p.Parent(), s, direct)
				}
				if direct && !ptrRecv(s.Obj()) {
					return nil // the method value copies the pointee
				}
				direct = false
			default:
				return nil
			}
		case edge.CallExpr_Fun:
			return r.called(p)
		case edge.CallExpr_Args:
			return r.callArg(p, idx, cur, direct, acc, capt)
		case edge.AssignStmt_Rhs:
			if p.ParentEdgeKind() == edge.TypeSwitchStmt_Assign {
				return r.typeSwitch(p.Parent().Node().(*ast.TypeSwitchStmt), direct)
			}
			as := p.Node().(*ast.AssignStmt)
			if len(as.Lhs) != len(as.Rhs) || (as.Tok != token.ASSIGN && as.Tok != token.DEFINE) {
				return nil
			}
			return r.store(p, as.Lhs[idx], direct, acc)
		case edge.ValueSpec_Values:
			spec := p.Node().(*ast.ValueSpec)
			if len(spec.Names) != len(spec.Values) {
				return nil
			}
			if v, ok := r.c.info.Defs[spec.Names[idx]].(*types.Var); ok && r.isLocal(v) {
				return r.local(v, direct)
			}
			return nil
		case edge.ReturnStmt_Results:
			return r.returned(p, direct, acc)
		case edge.SendStmt_Value:
			return r.sink(p, sinkStore, "sent on channel "+shortExpr(p.Node().(*ast.SendStmt).Chan), 0)
		case edge.IndexExpr_Index:
			return r.mapKey(p, direct)
		case edge.RangeStmt_X:
			rs := p.Node().(*ast.RangeStmt)
			if direct || rs.Tok != token.DEFINE || rs.Value == nil {
				return nil
			}
			// Only reference-typed elements can be the alias itself; a
			// struct element is a copy.
			switch under(r.c.info, rs.Value).(type) {
			case *types.Struct, *types.Array:
				return nil
			}
			id, ok := rs.Value.(*ast.Ident)
			if !ok {
				return nil
			}
			if v, ok := r.c.info.Defs[id].(*types.Var); ok && r.isLocal(v) {
				return r.local(v, false)
			}
			return nil
		default:
			return nil
		}
		cur = p
	}
}

// typeSwitch follows the variables a type switch binds in its clauses
// (switch x := alias.(type)).
func (r *region) typeSwitch(ts *ast.TypeSwitchStmt, direct bool) *escape {
	for _, cc := range ts.Body.List {
		if v, ok := r.c.info.Implicits[cc].(*types.Var); ok {
			if e := r.local(v, direct && isPointer(v.Type())); e != nil {
				return e
			}
		}
	}
	return nil
}

// mapKey handles m[alias] = x: the alias becomes a key of m.
func (r *region) mapKey(ixC inspector.Cursor, direct bool) *escape {
	ix := ixC.Node().(*ast.IndexExpr)
	if _, ok := under(r.c.info, ix.X).(*types.Map); !ok {
		return nil
	}
	if ixC.ParentEdgeKind() != edge.AssignStmt_Lhs {
		return nil
	}
	root := kit.RootOf(r.c.info, ix.X).Var
	if root != nil && r.isLocal(root) {
		if r.mode == loopMode {
			return r.local(root, false)
		}
		return nil
	}
	return r.sink(ixC.Parent(), sinkStore, "used as a key of "+shortExpr(ix.X), 0)
}

// called handles an alias used as the function of a call: a closure run
// by go or defer runs later, any other call runs it now.
func (r *region) called(callC inspector.Cursor) *escape {
	switch callC.ParentEdgeKind() {
	case edge.GoStmt_Call:
		return r.sink(callC.Parent(), sinkGo, "started as a goroutine", 0)
	case edge.DeferStmt_Call:
		return r.deferred(callC.Parent(), "deferred")
	}
	return nil
}

// deferred reports a defer statement that runs after the loop, that is,
// one belonging to the function that holds the loop.
func (r *region) deferred(deferC inspector.Cursor, where string) *escape {
	if r.mode != loopMode || enclosingFunc(deferC) != r.fn {
		return nil
	}
	return r.sink(deferC, sinkDefer, where, 0)
}

func enclosingFunc(cur inspector.Cursor) ast.Node {
	for fc := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		return fc.Node()
	}
	return nil
}

// callReceiver handles an alias used as the receiver of a method call.
func (r *region) callReceiver(callC inspector.Cursor, s *types.Selection, direct bool) *escape {
	switch callC.ParentEdgeKind() {
	case edge.GoStmt_Call:
		return r.sink(callC.Parent(), sinkGo, "the receiver of a method run by a go statement", 0)
	case edge.DeferStmt_Call:
		return r.deferred(callC.Parent(), "the receiver of a deferred method call")
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || types.IsInterface(s.Recv()) {
		return nil
	}
	if direct && !ptrRecv(fn) {
		return nil // a value receiver copies the pointee
	}
	return r.viaSummary(callC, fn.Origin(), -1, " as the receiver")
}

// callArg handles an alias passed as argument idx of a call.
func (r *region) callArg(callC inspector.Cursor, idx int, arg inspector.Cursor, direct, acc bool, capt []*ast.Ident) *escape {
	info := r.c.info
	call := callC.Node().(*ast.CallExpr)
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if b, ok := tv.Type.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
			return nil // string(x) copies
		}
		return r.follow(callC, direct, acc, nil)
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			if b.Name() == "append" {
				return r.follow(callC, false, true, nil)
			}
			return nil
		}
	}
	switch callC.ParentEdgeKind() {
	case edge.GoStmt_Call:
		return r.sink(callC.Parent(), sinkGo, "passed to a goroutine", 0)
	case edge.DeferStmt_Call:
		return r.deferred(callC.Parent(), "passed to a deferred call")
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	pidx := kit.ParamIndex(info, call, fn, idx)
	name := calleeText(callC)
	if fn.FullName() == "(*testing.T).Run" && pidx == 1 {
		if lit, ok := arg.Node().(*ast.FuncLit); ok {
			return r.parallelSubtest(callC, lit, capt)
		}
		return nil
	}
	switch kind, returns := knownCallee(fn.FullName(), pidx); {
	case returns:
		return r.follow(callC, false, acc || kind == sinkStore, nil)
	case kind == sinkGo:
		return r.sink(callC, sinkGo, "run in another goroutine by "+name, 0)
	case kind == sinkDefer:
		if r.receiverIsLocal(call) {
			return nil // the cleanup of a subtest started in this iteration
		}
		return r.sink(callC, sinkDefer, "registered with "+name+", which runs it when the test ends", 0)
	case kind == sinkStore:
		return r.sink(callC, sinkStore, "passed to "+name+", which keeps it", 0)
	}
	return r.viaSummary(callC, fn, pidx, "")
}

// receiverIsLocal reports whether the receiver of a method call is a
// variable declared inside the region, such as the t of a subtest.
func (r *region) receiverIsLocal(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	root := kit.RootOf(r.c.info, sel.X).Var
	return root != nil && r.isLocal(root)
}

// viaSummary applies the summary of a callee of the analyzed code to an
// alias passed as its parameter pidx (-1: receiver).
func (r *region) viaSummary(callC inspector.Cursor, fn *types.Func, pidx int, role string) *escape {
	sum, _ := r.c.sums.Of(fn)
	flows := sum.at(pidx)
	name := calleeText(callC)
	switch {
	case flows&flowAsync != 0:
		return r.sink(callC, sinkGo, "passed to "+name+role+", which uses it in another goroutine", 0)
	case flows&flowKept != 0:
		return r.sink(callC, sinkStore, "passed to "+name+role+", which keeps it", 0)
	case flows&flowIntoRecv != 0:
		return r.intoReceiver(callC, name+role)
	case flows&flowReturned != 0:
		return r.follow(callC, false, false, nil)
	}
	return nil
}

// intoReceiver handles a callee that stores the alias in memory reached
// from its receiver: the alias lives as long as the receiver expression's
// root variable does.
func (r *region) intoReceiver(callC inspector.Cursor, name string) *escape {
	where := "passed to " + name + ", which keeps it in its receiver"
	sel, ok := ast.Unparen(callC.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr)
	if !ok {
		return r.sink(callC, sinkStore, where, 0)
	}
	root := kit.RootOf(r.c.info, sel.X).Var
	switch {
	case root == nil:
	case r.loopVars[root]:
		return nil
	case r.isLocal(root):
		if r.mode == loopMode {
			return r.local(root, false)
		}
		return nil
	case r.mode == funcMode && root == r.recv:
		return r.sink(callC, sinkRecv, where, 0)
	}
	return r.sink(callC, sinkStore, where, 0)
}

// calleeText renders the function of the call at callC as written, e.g.
// "reg.Add" or "g.Go".
func calleeText(callC inspector.Cursor) string {
	return shortExpr(callC.Node().(*ast.CallExpr).Fun)
}

// knownCallee describes library functions that keep, run later or return
// an argument, for which no summary exists. returns means the argument
// reaches the result (kind sinkStore: as one more collected element).
func knownCallee(name string, pidx int) (kind sinkKind, returns bool) {
	switch name {
	case "(*golang.org/x/sync/errgroup.Group).Go", "(*golang.org/x/sync/errgroup.Group).TryGo",
		"(*sync.WaitGroup).Go",
		"(*github.com/sourcegraph/conc.WaitGroup).Go",
		"(*github.com/sourcegraph/conc/pool.Pool).Go",
		"(*github.com/sourcegraph/conc/pool.ErrorPool).Go",
		"(*github.com/sourcegraph/conc/pool.ContextPool).Go":
		if pidx == 0 {
			return sinkGo, false
		}
	case "time.AfterFunc", "context.AfterFunc":
		if pidx == 1 {
			return sinkGo, false
		}
	case "(*testing.common).Cleanup":
		return sinkDefer, false
	case "net/http.Handle", "net/http.HandleFunc",
		"(*net/http.ServeMux).Handle", "(*net/http.ServeMux).HandleFunc",
		"(*container/list.List).InsertBefore", "(*container/list.List).InsertAfter":
		if pidx == 1 {
			return sinkStore, false
		}
	case "(*container/list.List).PushBack", "(*container/list.List).PushFront",
		"(*sync/atomic.Value).Store", "(*sync/atomic.Value).Swap",
		"(*sync/atomic.Pointer[T]).Store", "(*sync/atomic.Pointer[T]).Swap":
		if pidx == 0 {
			return sinkStore, false
		}
	case "(*sync/atomic.Value).CompareAndSwap", "(*sync/atomic.Pointer[T]).CompareAndSwap":
		if pidx == 1 {
			return sinkStore, false
		}
	case "(*sync.Map).Store", "(*sync.Map).LoadOrStore", "(*sync.Map).Swap", "(*sync.Map).CompareAndSwap",
		"runtime.SetFinalizer":
		return sinkStore, false
	case "container/heap.Push":
		if pidx == 1 {
			return sinkStore, false
		}
	case "context.WithValue":
		if pidx == 2 {
			return 0, true
		}
	case "sync.OnceFunc", "sync.OnceValue", "sync.OnceValues":
		return 0, true
	case "slices.Insert":
		if pidx == 2 {
			return sinkStore, true
		}
	}
	return 0, false
}

// parallelSubtest handles a func literal passed to t.Run: the references
// after its t.Parallel() call run after the loop has moved on.
func (r *region) parallelSubtest(callC inspector.Cursor, lit *ast.FuncLit, capt []*ast.Ident) *escape {
	params := lit.Type.Params.List
	if len(params) == 0 || len(params[0].Names) == 0 {
		return nil
	}
	tObj := r.c.info.Defs[params[0].Names[0]]
	for _, stmt := range lit.Body.List {
		es, ok := stmt.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := es.X.(*ast.CallExpr)
		if !ok {
			continue
		}
		fn := typeutil.StaticCallee(r.c.info, call)
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if fn == nil || fn.FullName() != "(*testing.T).Parallel" || !ok {
			continue
		}
		if id, ok := sel.X.(*ast.Ident); !ok || r.c.info.Uses[id] != tObj {
			continue
		}
		for _, u := range capt {
			if u.Pos() > stmt.End() {
				if e := r.sink(callC, sinkParallel, "run as a parallel subtest", 0); e != nil {
					e.use = u
					return e
				}
				return nil
			}
		}
		return nil
	}
	return nil
}

// store handles an alias assigned to lhs in the statement at stmtC.
func (r *region) store(stmtC inspector.Cursor, lhs ast.Expr, direct, acc bool) *escape {
	if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
		return nil
	}
	lr := kit.RootOf(r.c.info, lhs)
	root, indexed, indirect := lr.Var, lr.Indexed, lr.Indirect
	_, plain := ast.Unparen(lhs).(*ast.Ident)
	if plain && root == nil {
		return nil // not a variable we can follow
	}
	where := "stored in " + shortExpr(lhs)
	if acc {
		where = "appended to " + shortExpr(lhs)
	}
	switch {
	case root != nil && r.loopVars[root]:
		return nil
	case root != nil && r.isLocal(root):
		if plain {
			return r.local(root, direct)
		}
		if r.mode == loopMode {
			return r.local(root, false) // a per-iteration value now holds the alias
		}
		return nil
	case r.mode == funcMode:
		global := root == nil || root.Parent() == root.Pkg().Scope()
		switch {
		case global:
		case plain && r.results[root]:
			return r.sink(stmtC, sinkReturn, "returned", 0)
		case plain || !indirect:
			return nil // rebinding or filling in the callee's own copy
		case root == r.recv:
			return r.sink(stmtC, sinkRecv, where, 0)
		}
		return r.sink(stmtC, sinkStore, where, 0)
	}
	if acc || indexed {
		return r.sink(stmtC, sinkStore, where, 0)
	}
	return r.slot(stmtC, lhs)
}

// slot handles an alias stored in one outer variable or field: visible
// only when the store is conditional, the slot is read by a later
// iteration, or a post statement moves the variable on.
func (r *region) slot(stmtC inspector.Cursor, lhs ast.Expr) *escape {
	var why slotReason
	switch {
	case isFor(r.loop):
		why = slotThreeClause
	case stmtC.Parent().Node() != r.body || r.mayEndEarly(stmtC):
		why = slotConditional
	case r.slotRead(lhs):
		why = slotReadLater
	default:
		return nil
	}
	return r.sink(stmtC, sinkSlot, "stored in "+shortExpr(lhs), why)
}

func isFor(s ast.Stmt) bool {
	_, ok := s.(*ast.ForStmt)
	return ok
}

// mayEndEarly reports whether a statement of the loop body before the one
// at stmtC can end the iteration, so that stmtC runs on some iterations
// only.
func (r *region) mayEndEarly(stmtC inspector.Cursor) bool {
	for _, s := range r.body.List {
		if s.Pos() >= stmtC.Node().Pos() {
			return false
		}
		jumps := false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt, *ast.ReturnStmt:
				jumps = true
			case *ast.CallExpr:
				if kit.IsExitCall(r.c.info, n) {
					jumps = true
				}
			}
			return !jumps
		})
		if jumps {
			return true
		}
	}
	return false
}

// slotRead reports whether the slot lhs is read inside the loop other
// than by comparing it with nil.
func (r *region) slotRead(lhs ast.Expr) bool {
	info := r.c.info
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		v, _ := info.ObjectOf(l).(*types.Var)
		for _, u := range r.uses[v] {
			if u.Node() == l || !r.inLoop(u.Node()) || isAssigned(u) || nilCompared(info, u) {
				continue
			}
			return true
		}
		return false
	case *ast.SelectorExpr:
		s := info.Selections[l]
		if s == nil {
			v, _ := info.Uses[l.Sel].(*types.Var)
			for ic := range r.loopC.Preorder((*ast.SelectorExpr)(nil)) {
				sel := ic.Node().(*ast.SelectorExpr)
				if sel != l && info.Uses[sel.Sel] == v && !isAssigned(ic) && !nilCompared(info, ic) {
					return true
				}
			}
			return false
		}
		for ic := range r.loopC.Preorder((*ast.SelectorExpr)(nil)) {
			sel := ic.Node().(*ast.SelectorExpr)
			if t := info.Selections[sel]; sel != l && t != nil && t.Obj() == s.Obj() && !isAssigned(ic) && !nilCompared(info, ic) {
				return true
			}
		}
		return false
	}
	return false
}

func (r *region) inLoop(n ast.Node) bool {
	return r.loop.Pos() <= n.Pos() && n.End() <= r.loop.End()
}

// isAssigned reports whether the expression at cur is the whole target of
// an assignment.
func isAssigned(cur inspector.Cursor) bool {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	return cur.ParentEdgeKind() == edge.AssignStmt_Lhs
}

// isWriteTarget reports whether the use at cur is the root of an
// assignment target (x = ..., x.f = ..., x[i] = ..., *x = ..., x++).
func isWriteTarget(info *types.Info, cur inspector.Cursor) bool {
	for {
		switch cur.ParentEdgeKind() {
		case edge.ParenExpr_X, edge.IndexExpr_X, edge.StarExpr_X:
		case edge.SelectorExpr_X:
			if s := info.Selections[cur.Parent().Node().(*ast.SelectorExpr)]; s == nil || s.Kind() != types.FieldVal {
				return false
			}
		case edge.AssignStmt_Lhs, edge.IncDecStmt_X, edge.RangeStmt_Key, edge.RangeStmt_Value:
			return true
		default:
			return false
		}
		cur = cur.Parent()
	}
}

// nilCompared reports whether the expression at cur is compared with nil.
func nilCompared(info *types.Info, cur inspector.Cursor) bool {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	ek := cur.ParentEdgeKind()
	if ek != edge.BinaryExpr_X && ek != edge.BinaryExpr_Y {
		return false
	}
	b := cur.Parent().Node().(*ast.BinaryExpr)
	if b.Op != token.EQL && b.Op != token.NEQ {
		return false
	}
	other := b.Y
	if ek == edge.BinaryExpr_Y {
		other = b.X
	}
	return info.Types[other].IsNil()
}

// returned handles an alias in a return statement.
func (r *region) returned(retC inspector.Cursor, direct, acc bool) *escape {
	var fnC inspector.Cursor
	for fc := range retC.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		fnC = fc
		break
	}
	if !fnC.Valid() {
		return nil
	}
	lit, ok := fnC.Node().(*ast.FuncLit)
	if !ok || (r.mode == loopMode && lit == r.fn) {
		if r.mode == funcMode {
			return r.sink(retC, sinkReturn, "returned", 0)
		}
		return nil // the loop ends here: nothing overwrites the variable
	}
	if !r.inBody(lit) {
		return nil
	}
	if fnC.ParentEdgeKind() == edge.CallExpr_Fun {
		return r.follow(fnC.Parent(), direct, acc, nil)
	}
	// A literal returning the alias captures it and is followed itself.
	return nil
}

// local follows a variable of the region that holds an alias.
func (r *region) local(v *types.Var, direct bool) *escape {
	if e, seen := r.localSeen[v]; seen {
		return e
	}
	r.localSeen[v] = nil
	e := r.track(v, direct)
	r.localSeen[v] = e
	return e
}

// track follows every use of v (and every func literal capturing it)
// inside the region.
func (r *region) track(v *types.Var, direct bool) *escape {
	if !mayAlias(v.Type()) {
		return nil // a copy of plain data carries no alias
	}
	for _, u := range r.uses[v] {
		if !r.inBody(u.Node()) || isWriteTarget(r.c.info, u) {
			continue
		}
		if e := r.follow(u, direct, false, nil); e != nil {
			return e
		}
		for lcur := range u.Enclosing((*ast.FuncLit)(nil)) {
			lit := lcur.Node().(*ast.FuncLit)
			if lit.Pos() < v.Pos() || !r.inBody(lit) {
				break
			}
			key := litKey{lit, v}
			e, seen := r.litSeen[key]
			if !seen {
				r.litSeen[key] = nil
				var capt []*ast.Ident
				for _, w := range r.uses[v] {
					if lit.Pos() <= w.Node().Pos() && w.Node().End() <= lit.End() {
						capt = append(capt, w.Node().(*ast.Ident))
					}
				}
				e = r.follow(lcur, false, false, capt)
				r.litSeen[key] = e
			}
			if e != nil {
				return e
			}
		}
	}
	return nil
}

// sink records where an alias leaves the region. In loop mode it drops the
// escapes that change nothing: those followed by leaving the loop, and
// goroutines waited for in the same iteration. In func mode it adds the
// flow to the summary and keeps looking.
func (r *region) sink(at inspector.Cursor, kind sinkKind, where string, why slotReason) *escape {
	if kind == sinkGo && r.joinedAfter(at) {
		return nil
	}
	if r.mode == funcMode {
		switch kind {
		case sinkReturn:
			r.flags |= flowReturned
		case sinkRecv:
			r.flags |= flowIntoRecv
		case sinkGo:
			r.flags |= flowAsync
		default:
			r.flags |= flowKept
		}
		return nil
	}
	if r.exitsAfter(at) {
		return nil
	}
	return &escape{kind: kind, sink: at.Node(), where: where, slot: why}
}

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

// shortExpr renders an expression for a message, eliding long ones.
func shortExpr(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// A flow is what a function may do with a parameter.
type flow uint8

const (
	// flowKept: the parameter is stored beyond the call.
	flowKept flow = 1 << iota
	// flowAsync: another goroutine uses the parameter.
	flowAsync
	// flowReturned: the parameter reaches the result.
	flowReturned
	// flowIntoRecv: the parameter is stored in memory reached from the
	// receiver; it outlives the call only if the receiver does.
	flowIntoRecv
)

// paramFlows summarizes a function's parameters.
type paramFlows struct {
	Recv   flow
	Params []flow
}

func (p paramFlows) at(i int) flow {
	if i < 0 {
		return p.Recv
	}
	if i < len(p.Params) {
		return p.Params[i]
	}
	return 0
}

func (p paramFlows) empty() bool {
	if p.Recv != 0 {
		return false
	}
	for _, f := range p.Params {
		if f != 0 {
			return false
		}
	}
	return true
}

func (p paramFlows) equal(q paramFlows) bool {
	if p.Recv != q.Recv || len(p.Params) != len(q.Params) {
		return false
	}
	for i := range p.Params {
		if p.Params[i] != q.Params[i] {
			return false
		}
	}
	return true
}

// keepsFact is exported for a function of the analyzed code that keeps a
// parameter beyond the call, uses it in another goroutine or returns it,
// so that loops in importing packages know what passing &v to it does.
type keepsFact struct {
	Flows paramFlows
}

// AFact marks keepsFact as an analysis.Fact.
func (*keepsFact) AFact() {}

func (f *keepsFact) String() string {
	var parts []string
	name := func(fl flow) string {
		var s []string
		if fl&flowKept != 0 {
			s = append(s, "kept")
		}
		if fl&flowAsync != 0 {
			s = append(s, "async")
		}
		if fl&flowReturned != 0 {
			s = append(s, "returned")
		}
		if fl&flowIntoRecv != 0 {
			s = append(s, "into-recv")
		}
		return strings.Join(s, "+")
	}
	if f.Flows.Recv != 0 {
		parts = append(parts, "recv:"+name(f.Flows.Recv))
	}
	for i, fl := range f.Flows.Params {
		if fl != 0 {
			parts = append(parts, fmt.Sprintf("p%d:%s", i, name(fl)))
		}
	}
	return "keeps(" + strings.Join(parts, " ") + ")"
}

// summarize computes the summaries of the package's functions to a
// fixpoint and exports the non-empty ones as facts.
func (c *checker) summarize() {
	c.sums.Solve(c.pass.Pkg, kit.Decls(c.info, c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)))
	c.sums.Each(func(d kit.Decl, s paramFlows) {
		if !s.empty() {
			c.pass.ExportObjectFact(d.Fn, &keepsFact{s})
		}
	})
}

// summarizeFunc follows each parameter of the function declared at fc.
func (c *checker) summarizeFunc(fn *types.Func, fc inspector.Cursor) paramFlows {
	fd := fc.Node().(*ast.FuncDecl)
	bodyC, ok := fc.FindNode(fd.Body)
	if !ok {
		return paramFlows{}
	}
	uses := c.usesIn(fc)
	sig := fn.Type().(*types.Signature)
	results := make(map[*types.Var]bool)
	for i := 0; i < sig.Results().Len(); i++ {
		results[sig.Results().At(i)] = true
	}
	follow := func(v *types.Var) flow {
		if v == nil || !mayAlias(v.Type()) {
			return 0
		}
		r := newRegion(c, funcMode, bodyC, uses)
		r.results, r.recv = results, sig.Recv()
		r.track(v, isPointer(v.Type()))
		return r.flags
	}
	s := paramFlows{Params: make([]flow, sig.Params().Len())}
	if recv := sig.Recv(); recv != nil {
		s.Recv = follow(recv)
	}
	for i := range s.Params {
		s.Params[i] = follow(sig.Params().At(i))
	}
	return s
}

// mayAlias reports whether a value of type t can hold a pointer: numbers,
// strings, booleans and structs and arrays made only of them cannot.
func mayAlias(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if mayAlias(u.Field(i).Type()) {
				return true
			}
		}
		return false
	case *types.Array:
		return mayAlias(u.Elem())
	}
	return true
}

// diagnostic renders a finding.
func (f *finding) diagnostic() analysis.Diagnostic {
	names := make([]string, len(f.decls))
	for i, d := range f.decls {
		names[i] = d.Name
	}
	vars := "loop variable " + names[0]
	if len(names) > 1 {
		vars = "loop variables " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	var subject string
	switch f.okind {
	case originAddr:
		subject = fmt.Sprintf("the address of %s is %s (via %s)", vars, f.esc.where, shortExpr(f.origin.(ast.Expr)))
	case originMethod:
		subject = fmt.Sprintf("the address of %s is %s (taken by %s, which has a pointer receiver)", vars, f.esc.where, shortExpr(f.origin.(ast.Expr)))
	case originClosure:
		verb := "is"
		if len(names) > 1 {
			verb = "are"
		}
		subject = fmt.Sprintf("%s %s captured by a func literal that is %s", vars, verb, f.esc.where)
		if f.esc.kind == sinkParallel {
			subject = fmt.Sprintf("%s %s captured after t.Parallel() by a func literal that is %s", vars, verb, f.esc.where)
		}
	}
	v := strings.Join(names, "/")
	var change string
	switch f.esc.kind {
	case sinkStore:
		change = fmt.Sprintf("before Go 1.22 every element aliases the same variable (the last %s); from Go 1.22 each iteration has its own copy", v)
		if f.okind == originClosure {
			change = fmt.Sprintf("before Go 1.22 every stored func literal shares the same %s (the last value); from Go 1.22 each keeps its own iteration's copy", v)
		}
	case sinkSlot:
		slot := strings.TrimPrefix(f.esc.where, "stored in ")
		switch f.esc.slot {
		case slotThreeClause:
			change = fmt.Sprintf("before Go 1.22 %s refers to the one shared %s, which the post statement moves past the value this iteration had; from Go 1.22 it keeps this iteration's copy", slot, v)
		case slotConditional:
			change = fmt.Sprintf("the store happens on some iterations only: before Go 1.22 %s refers to the one shared %s, which ends up holding the last element, not the one stored; from Go 1.22 it keeps the stored iteration's copy", slot, v)
		default:
			change = fmt.Sprintf("%s is read again in a later iteration: before Go 1.22 it refers to the shared %s and sees the current value; from Go 1.22 it sees the earlier iteration's copy", slot, v)
		}
	case sinkGo:
		change = fmt.Sprintf("before Go 1.22 all goroutines share one %s and can see a later iteration's value (often the last); from Go 1.22 each gets its own copy", v)
	case sinkDefer:
		change = fmt.Sprintf("before Go 1.22 every deferred call runs after the loop and sees the last %s; from Go 1.22 each sees its own iteration's copy", v)
	case sinkParallel:
		change = fmt.Sprintf("before Go 1.22 the parallel subtests run after the loop and all see the last %s, so only the last case is tested; from Go 1.22 each subtest gets its own copy", v)
	}
	tail := fmt.Sprintf("This file is at %s: behaviour changes when the go line is raised to 1.22 or later", f.version)
	if f.fromTag {
		tail = fmt.Sprintf("This file is at %s by its //go:build line: behaviour changes when that constraint is raised to go1.22 or later", f.version)
	}
	d := analysis.Diagnostic{
		Pos:      f.use.Pos(),
		End:      f.use.End(),
		Category: category(f),
		Message:  subject + ": " + change + ". " + tail,
	}
	fset := f.pass.Fset
	if fset.Position(f.esc.sink.Pos()).Line != fset.Position(f.use.Pos()).Line {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: f.esc.sink.Pos(), End: f.esc.sink.End(), Message: "the reference leaves the iteration here"})
	}
	for _, id := range f.decls {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: id.Pos(), End: id.End(), Message: id.Name + " is declared once for the whole loop before Go 1.22"})
	}
	return d
}

// category returns the diagnostic's sub-rule.
func category(f *finding) string {
	switch f.esc.kind {
	case sinkGo:
		return "goroutine"
	case sinkDefer:
		return "defer"
	case sinkParallel:
		return "parallel-test"
	}
	if f.okind == originClosure {
		return "closure"
	}
	return "address"
}
