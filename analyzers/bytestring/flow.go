package bytestring

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// holds is the set of dynamic-type classes an interface-typed location may
// carry. The flow only ever adds classes, so the fixpoint terminates.
type holds uint8

const (
	// holdsBytes: some store puts a []byte (or a named byte slice) there.
	holdsBytes holds = 1 << iota
	// holdsString: some store puts a string there, so comparing with text
	// can be meaningful.
	holdsString
	// holdsUnknown: some store comes from code we cannot see (a decoder, a
	// caller, a pointer), so the value may well be a string.
	holdsUnknown
)

// onlyBytes reports whether a value with classes h is known to carry a byte
// slice and nothing that could make a comparison with text true.
func (h holds) onlyBytes() bool {
	return h&holdsBytes != 0 && h&(holdsString|holdsUnknown) == 0
}

// origin says where a []byte entered an interface value, for messages and
// for the related location of a diagnostic.
type origin struct {
	desc string     // "os.ReadFile", "variable raw"
	pos  token.Pos  // the stored []byte expression
	typ  types.Type // its static type (json.RawMessage, []byte, ...)
	text bool       // its producer makes text (see flow.textSource)
}

// loc is the abstract content of one interface-typed storage location.
type loc struct {
	holds  holds
	origin origin
}

// slotKey names the element stored under one constant key in any map with
// interface elements in the package. Maps are not told apart: a config map
// is typically filled by one function and read by another through a
// parameter, and the key is what both sides share. Maps filled by code we
// cannot see are excluded separately (see flow.opaque).
type slotKey struct{ key string }

// anySlotKey names the elements stored under non-constant keys (a loader's
// cfg[string(key)] = value) in the maps of one type: a read of any key may
// see them.
type anySlotKey struct{ typ string }

// resultKey names result index of a function declared in the package.
type resultKey struct {
	fn    *types.Func
	index int
}

// store records that src (or the tuple element index of src, or the loc
// named by srcKey, or simply the classes fixed) flows into dst.
type store struct {
	dst    any
	src    ast.Expr
	index  int // >= 0 when src is a tuple-valued expression
	srcKey any
	fixed  holds
}

// flow is the package-wide, flow-insensitive model of which interface
// values may hold []byte. Locations are variables and struct fields of
// interface type (types.Var), constant-keyed slots of interface-element maps
// (slotKey) and interface results of package functions (resultKey).
type flow struct {
	pass   *analysis.Pass
	info   *types.Info
	locs   map[any]*loc
	stores []store

	// opaque marks map-typed variables and fields whose content is written
	// by code outside the package (decoders, external calls) or through
	// non-constant keys: their slots tell nothing.
	opaque map[*types.Var]bool
	// mapAliases records map-variable copies so opacity propagates.
	mapAliases []store
	// mapReturns records maps returned by package functions, and
	// opaqueFuncs the functions that may return a map filled by unseen code.
	mapReturns  []store
	opaqueFuncs map[*types.Func]bool
	// tagged marks fields with a struct tag: a decoder fills them.
	tagged map[*types.Var]bool

	// byteDefs and byteAssigns trace a local []byte variable back to the
	// call that produced it when it is assigned exactly once.
	byteDefs    map[*types.Var]ast.Expr
	byteAssigns map[*types.Var]int

	// origins caches bytesOrigin.
	origins map[ast.Expr]origin
	// opaqueTypes are the struct types already handed to unseen code.
	opaqueTypes map[types.Type]bool

	// sums are the functions' summaries (helpers.go) and sites the prints
	// of []byte parameters they refer to.
	sums  *kit.Summaries[*helperSum]
	sites map[ast.Expr]*printSite
}

func newFlow(pass *analysis.Pass, insp *inspector.Inspector) *flow {
	f := &flow{
		pass:        pass,
		info:        pass.TypesInfo,
		locs:        make(map[any]*loc),
		opaque:      make(map[*types.Var]bool),
		opaqueFuncs: make(map[*types.Func]bool),
		tagged:      make(map[*types.Var]bool),
		byteDefs:    make(map[*types.Var]ast.Expr),
		byteAssigns: make(map[*types.Var]int),
		origins:     make(map[ast.Expr]origin),
		opaqueTypes: make(map[types.Type]bool),
	}
	f.collect(insp)
	// Helpers first: whether a helper returns text feeds the origins the
	// interface flow records.
	f.summarize(insp)
	f.solve()
	return f
}

// collect records every store into an interface-typed location.
func (f *flow) collect(insp *inspector.Inspector) {
	filter := []ast.Node{
		(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.AssignStmt)(nil),
		(*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil), (*ast.UnaryExpr)(nil),
		(*ast.CompositeLit)(nil), (*ast.ReturnStmt)(nil), (*ast.TypeSwitchStmt)(nil),
		(*ast.CallExpr)(nil), (*ast.StructType)(nil),
	}
	for cur := range insp.Root().Preorder(filter...) {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			f.funcDecl(n)
		case *ast.FuncLit:
			f.params(n.Type)
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE || n.Tok == token.ASSIGN {
				f.assignList(n.Lhs, n.Rhs)
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			f.assignList(lhs, n.Values)
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE || n.Tok == token.ASSIGN {
				if n.Key != nil {
					f.assignFixed(n.Key, holdsUnknown)
				}
				if v := f.varOf(n.Value); v != nil && kit.IsByteSlice(v.Type()) && isByteSlices(f.info.TypeOf(n.X)) {
					// for _, line := range bytes.Split(...): the
					// lines come from the ranged collection.
					f.noteByteDef(v, n.X)
				} else if n.Value != nil {
					f.assignFixed(n.Value, holdsUnknown)
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				f.addressTaken(n.X)
			}
		case *ast.CompositeLit:
			f.compositeLit(n)
		case *ast.ReturnStmt:
			for encl := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
				if decl, ok := encl.Node().(*ast.FuncDecl); ok {
					f.returnStmt(decl, n)
				}
				break
			}
		case *ast.TypeSwitchStmt:
			f.typeSwitch(n)
		case *ast.CallExpr:
			f.externalCall(n)
		case *ast.StructType:
			for _, field := range n.Fields.List {
				if field.Tag == nil {
					continue
				}
				for _, name := range field.Names {
					if v, ok := f.info.Defs[name].(*types.Var); ok {
						f.tagged[v] = true
					}
				}
			}
		}
	}
}

func (f *flow) add(s store) {
	if _, ok := f.locs[s.dst]; !ok {
		f.locs[s.dst] = &loc{}
	}
	f.stores = append(f.stores, s)
}

// params seeds interface parameters with unknown content: callers decide.
func (f *flow) params(ft *ast.FuncType) {
	if ft.Params == nil {
		return
	}
	for _, field := range ft.Params.List {
		for _, name := range field.Names {
			if v, ok := f.info.Defs[name].(*types.Var); ok && isIface(v.Type()) {
				f.add(store{dst: v, fixed: holdsUnknown})
			}
		}
	}
}

func (f *flow) funcDecl(decl *ast.FuncDecl) {
	f.params(decl.Type)
	fn, ok := f.info.Defs[decl.Name].(*types.Func)
	if !ok {
		return
	}
	sig := fn.Type().(*types.Signature)
	if decl.Body == nil {
		for i := 0; i < sig.Results().Len(); i++ {
			f.add(store{dst: resultKey{fn, i}, fixed: holdsUnknown})
		}
		return
	}
	// Named results reach the caller through bare returns and deferred
	// assignments: the result holds whatever the variable holds.
	for i := 0; i < sig.Results().Len(); i++ {
		r := sig.Results().At(i)
		switch {
		case r.Name() == "":
		case isIface(r.Type()):
			f.add(store{dst: resultKey{fn, i}, srcKey: r})
		case isIfaceMap(r.Type()):
			f.mapReturns = append(f.mapReturns, store{dst: fn, srcKey: r})
		}
	}
}

func (f *flow) returnStmt(decl *ast.FuncDecl, ret *ast.ReturnStmt) {
	fn, ok := f.info.Defs[decl.Name].(*types.Func)
	if !ok {
		return
	}
	res := fn.Type().(*types.Signature).Results()
	switch {
	case len(ret.Results) == res.Len():
		for i, e := range ret.Results {
			f.result(fn, res.At(i).Type(), store{dst: resultKey{fn, i}, src: e, index: -1})
		}
	case len(ret.Results) == 1 && res.Len() > 1:
		for i := 0; i < res.Len(); i++ {
			f.result(fn, res.At(i).Type(), store{dst: resultKey{fn, i}, src: ret.Results[0], index: i})
		}
	}
}

// result records one returned value of fn.
func (f *flow) result(fn *types.Func, t types.Type, s store) {
	switch {
	case isIface(t):
		f.add(s)
	case isIfaceMap(t):
		s.dst = fn
		f.mapReturns = append(f.mapReturns, s)
	}
}

func (f *flow) assignList(lhs, rhs []ast.Expr) {
	switch {
	case len(lhs) == len(rhs):
		for i := range lhs {
			f.assign(lhs[i], rhs[i], -1)
		}
	case len(rhs) == 1:
		for i := range lhs {
			f.assign(lhs[i], rhs[0], i)
		}
	}
}

// assign records lhs = rhs (or the index-th value of the tuple rhs).
func (f *flow) assign(lhs, rhs ast.Expr, index int) {
	lhs = ast.Unparen(lhs)
	if v := f.varOf(lhs); v != nil {
		switch {
		case isIface(v.Type()):
			f.add(store{dst: f.varKey(v), src: rhs, index: index})
		case isIfaceMap(v.Type()):
			f.mapAliases = append(f.mapAliases, store{dst: v, src: rhs, index: index})
		case kit.IsByteSlice(v.Type()) || isByteSlices(v.Type()):
			f.noteByteDef(v, rhs)
		}
		return
	}
	if ix, ok := lhs.(*ast.IndexExpr); ok && isIfaceMap(f.info.TypeOf(ix.X)) {
		if key, ok := f.constKey(ix.Index); ok {
			f.add(store{dst: slotKey{key}, src: rhs, index: index})
		} else {
			f.add(store{dst: f.anySlot(ix.X), src: rhs, index: index})
		}
	}
}

// noteByteDef remembers the first value of a byte-slice variable, to name
// its producer in messages.
func (f *flow) noteByteDef(v *types.Var, rhs ast.Expr) {
	f.byteAssigns[v]++
	if _, ok := f.byteDefs[v]; !ok {
		f.byteDefs[v] = rhs
	}
}

// assignFixed records that lhs receives a value of classes h.
func (f *flow) assignFixed(lhs ast.Expr, h holds) {
	lhs = ast.Unparen(lhs)
	if v := f.varOf(lhs); v != nil {
		switch {
		case isIface(v.Type()):
			f.add(store{dst: f.varKey(v), fixed: h})
		case isIfaceMap(v.Type()):
			f.opaque[v] = true
		case kit.IsByteSlice(v.Type()) || isByteSlices(v.Type()):
			f.byteAssigns[v] += 2 // not traceable to a single producer
		}
	}
}

// addressTaken handles &x: whatever receives the pointer may write any
// value there.
func (f *flow) addressTaken(x ast.Expr) {
	x = ast.Unparen(x)
	// A struct pointer reaching unseen code is handled by externalCall;
	// here only the variable or field itself escapes.
	if f.varOf(x) != nil {
		f.assignFixed(x, holdsUnknown)
	}
}

// externalCall handles calls into code the flow cannot see: a map or a
// struct pointer passed there may be filled with anything (json.Decode,
// mapstructure, maps.Copy, ...). Printing and marshalling only read.
func (f *flow) externalCall(call *ast.CallExpr) {
	if tv, ok := f.info.Types[call.Fun]; ok && tv.IsType() {
		return
	}
	callee := typeutil.Callee(f.info, call)
	if _, ok := callee.(*types.Builtin); ok {
		return
	}
	if fn, ok := callee.(*types.Func); ok {
		if fn.Pkg() == f.pass.Pkg {
			return
		}
		if fn.Pkg() != nil && readOnlyPkgs[fn.Pkg().Path()] {
			return
		}
	}
	for _, arg := range call.Args {
		t := f.info.TypeOf(arg)
		if t == nil {
			continue
		}
		if isIfaceMap(t) {
			if root := f.rootVar(arg); root != nil {
				f.opaque[root] = true
			}
			continue
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			f.opaqueStruct(p.Elem(), f.opaqueTypes)
		}
	}
}

// readOnlyPkgs are packages whose functions never store into the maps and
// structs handed to them.
var readOnlyPkgs = map[string]bool{
	"fmt": true, "log": true, "log/slog": true, "errors": true, "strings": true,
	"bytes": true, "strconv": true, "sort": true, "slices": true, "testing": true,
}

// opaqueStruct marks the interface and interface-map fields of struct type
// t (and of nested structs) as written by unseen code.
func (f *flow) opaqueStruct(t types.Type, seen map[types.Type]bool) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		f.opaqueStruct(u.Elem(), seen)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			fld := u.Field(i).Origin()
			switch {
			case isIface(fld.Type()):
				f.add(store{dst: fld, fixed: holdsUnknown})
			case isIfaceMap(fld.Type()):
				f.opaque[fld] = true
			default:
				f.opaqueStruct(fld.Type(), seen)
			}
		}
	}
}

func (f *flow) compositeLit(lit *ast.CompositeLit) {
	t := f.info.TypeOf(lit)
	if t == nil {
		return
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i, elt := range lit.Elts {
			var fld *types.Var
			val := elt
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					fld, _ = f.info.Uses[id].(*types.Var)
				}
				val = kv.Value
			} else if i < u.NumFields() {
				fld = u.Field(i)
			}
			if fld != nil && isIface(fld.Type()) {
				f.add(store{dst: fld.Origin(), src: val, index: -1})
			}
		}
	case *types.Map:
		if !isIface(u.Elem()) {
			return
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if key, ok := f.constKey(kv.Key); ok {
				f.add(store{dst: slotKey{key}, src: kv.Value, index: -1})
			}
		}
	}
}

// typeSwitch gives the variable bound in `switch v := x.(type)` the content
// of x in the clauses where it keeps an interface type.
func (f *flow) typeSwitch(ts *ast.TypeSwitchStmt) {
	as, ok := ts.Assign.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return
	}
	ta, ok := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr)
	if !ok {
		return
	}
	for _, stmt := range ts.Body.List {
		cc := stmt.(*ast.CaseClause)
		if v, ok := f.info.Implicits[cc].(*types.Var); ok && isIface(v.Type()) {
			f.add(store{dst: v, src: ta.X, index: -1})
		}
	}
}

// solve propagates classes through the stores until nothing changes.
func (f *flow) solve() {
	// Tagged fields hold what a decoder put there.
	for v := range f.tagged {
		if isIface(v.Type()) {
			f.add(store{dst: v, fixed: holdsUnknown})
		} else if isIfaceMap(v.Type()) {
			f.opaque[v] = true
		}
	}
	// Opacity of map variables follows copies (m := decoded) and returns.
	for changed := true; changed; {
		changed = false
		for _, s := range f.mapAliases {
			v := s.dst.(*types.Var)
			if !f.opaque[v] && f.opaqueMapSource(s.src, s.index) {
				f.opaque[v] = true
				changed = true
			}
		}
		for _, s := range f.mapReturns {
			fn := s.dst.(*types.Func)
			if f.opaqueFuncs[fn] {
				continue
			}
			if v, ok := s.srcKey.(*types.Var); ok && f.opaque[v] || s.src != nil && f.opaqueMapSource(s.src, s.index) {
				f.opaqueFuncs[fn] = true
				changed = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range f.stores {
			var h holds
			var o origin
			switch {
			case s.src != nil:
				h, o = f.evalAt(s.src, s.index)
			case s.srcKey != nil:
				h, o = f.locHolds(s.srcKey)
			default:
				h = s.fixed
			}
			l := f.locs[s.dst]
			if h&^l.holds != 0 {
				l.holds |= h
				changed = true
			}
			if h&holdsBytes != 0 && l.origin.desc == "" && o.desc != "" {
				l.origin = o
				changed = true
			}
		}
	}
}

// opaqueMapSource reports whether a map value assigned from e may hold
// entries stored by unseen code.
func (f *flow) opaqueMapSource(e ast.Expr, index int) bool {
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.CompositeLit:
		return false
	case *ast.Ident, *ast.SelectorExpr:
		if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
			return false
		}
		return f.opaqueMapExpr(e)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := f.info.Uses[id].(*types.Builtin); ok && b.Name() == "make" {
				return false
			}
		}
		return f.opaqueCall(e)
	}
	return true
}

// opaqueCall reports whether the map returned by call may hold entries
// stored by unseen code.
func (f *flow) opaqueCall(call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(f.info, call)
	return fn == nil || fn.Pkg() != f.pass.Pkg || f.opaqueFuncs[fn.Origin()]
}

// bytesOrigin describes the []byte expression e of type t; the result is
// cached because the fixpoint evaluates each store several times.
func (f *flow) bytesOrigin(e ast.Expr, t types.Type) origin {
	if o, ok := f.origins[e]; ok {
		return o
	}
	o := origin{desc: f.describe(e, 0), pos: e.Pos(), typ: t, text: f.textSource(e, 0)}
	f.origins[e] = o
	return o
}

// locHolds returns the current classes of location key.
func (f *flow) locHolds(key any) (holds, origin) {
	if l, ok := f.locs[key]; ok {
		return l.holds, l.origin
	}
	return 0, origin{}
}

// evalAt classifies element index of the tuple e, or e itself if index < 0.
func (f *flow) evalAt(e ast.Expr, index int) (holds, origin) {
	if index < 0 {
		return f.eval(e)
	}
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.CallExpr:
		if index == 0 && isConversion(f.info, e) {
			return f.eval(e)
		}
		if tuple, ok := f.info.TypeOf(e).(*types.Tuple); ok && index < tuple.Len() {
			if t := tuple.At(index).Type(); !isIface(t) {
				if h := classifyType(t); h != holdsBytes {
					return h, origin{}
				}
				return holdsBytes, f.bytesOrigin(e, t)
			}
		}
		return f.callResult(e, index)
	case *ast.IndexExpr, *ast.TypeAssertExpr:
		if index == 0 {
			return f.eval(e)
		}
		return 0, origin{} // the ok boolean
	}
	return holdsUnknown, origin{}
}

// eval classifies the dynamic content of expression e.
func (f *flow) eval(e ast.Expr) (holds, origin) {
	e = ast.Unparen(e)
	tv, ok := f.info.Types[e]
	if !ok {
		return holdsUnknown, origin{}
	}
	if tv.IsNil() {
		return 0, origin{}
	}
	t := tv.Type
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return holdsUnknown, origin{}
	}
	if !isIface(t) {
		h := classifyType(t)
		if h != holdsBytes {
			return h, origin{}
		}
		return h, f.bytesOrigin(e, t)
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		if isConversion(f.info, e) && len(e.Args) == 1 {
			return f.eval(e.Args[0])
		}
		return f.callResult(e, 0)
	case *ast.Ident:
		if v, ok := f.info.Uses[e].(*types.Var); ok {
			return f.varHolds(v)
		}
	case *ast.SelectorExpr:
		if v := f.varOf(e); v != nil {
			return f.varHolds(v)
		}
	case *ast.IndexExpr:
		return f.slot(e)
	}
	return holdsUnknown, origin{}
}

// varHolds returns the classes of an interface variable or field.
func (f *flow) varHolds(v *types.Var) (holds, origin) {
	v = v.Origin()
	if v.Pkg() != f.pass.Pkg {
		return holdsUnknown, origin{}
	}
	if l, ok := f.locs[v]; ok {
		return l.holds, l.origin
	}
	if v.IsField() && v.Exported() {
		return holdsUnknown, origin{} // set by importers, if at all
	}
	return 0, origin{}
}

// slot classifies m[k] for a map with interface elements.
func (f *flow) slot(ix *ast.IndexExpr) (holds, origin) {
	if !isIfaceMap(f.info.TypeOf(ix.X)) {
		return holdsUnknown, origin{}
	}
	key, ok := f.constKey(ix.Index)
	if !ok || f.opaqueMapExpr(ix.X) {
		return holdsUnknown, origin{}
	}
	l, constant := f.locs[slotKey{key}]
	w, wildcard := f.locs[f.anySlot(ix.X)]
	switch {
	case constant && wildcard:
		o := l.origin
		if l.holds&holdsBytes == 0 {
			o = w.origin
		}
		return l.holds | w.holds, o
	case constant:
		return l.holds, l.origin
	case wildcard:
		return w.holds, w.origin
	}
	return holdsUnknown, origin{}
}

// anySlot names the non-constant-key elements of the maps of x's type.
func (f *flow) anySlot(x ast.Expr) anySlotKey {
	return anySlotKey{types.TypeString(f.info.TypeOf(x), nil)}
}

// opaqueMapExpr reports whether the map denoted by x may have been filled by
// unseen code, so that the package's own stores do not describe it.
func (f *flow) opaqueMapExpr(x ast.Expr) bool {
	x = ast.Unparen(x)
	switch x := x.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		v := f.rootVar(x)
		if v == nil || v.Pkg() != f.pass.Pkg || f.opaque[v] || f.tagged[v] {
			return true
		}
		// A map parameter may be one the package decoded elsewhere.
		return v.Kind() == types.ParamVar && len(f.opaque) > 0
	case *ast.CallExpr:
		return f.opaqueCall(x)
	case *ast.CompositeLit:
		return false
	}
	return true
}

// callResult classifies result index of a call.
func (f *flow) callResult(call *ast.CallExpr, index int) (holds, origin) {
	fn := typeutil.StaticCallee(f.info, call)
	if fn == nil {
		return holdsUnknown, origin{}
	}
	fn = fn.Origin()
	if fn.Pkg() == f.pass.Pkg {
		if l, ok := f.locs[resultKey{fn, index}]; ok {
			return l.holds, l.origin
		}
		return holdsUnknown, origin{}
	}
	var fact bytesResults
	if f.pass.ImportObjectFact(fn, &fact) {
		for _, r := range fact.Results {
			if r.Index == index {
				return holdsBytes, origin{desc: r.Origin, pos: call.Pos(), text: r.Text}
			}
		}
	}
	return holdsUnknown, origin{}
}

// varOf returns the variable or field that e denotes, if any.
func (f *flow) varOf(e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := f.info.Defs[e].(*types.Var); ok {
			return v
		}
		if v, ok := f.info.Uses[e].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if sel := f.info.Selections[e]; sel != nil {
			if sel.Kind() == types.FieldVal {
				return sel.Obj().(*types.Var)
			}
			return nil
		}
		if v, ok := f.info.Uses[e.Sel].(*types.Var); ok {
			return v // qualified package variable
		}
	}
	return nil
}

// varKey is the location key of a variable: generic fields share the
// location of their origin.
func (f *flow) varKey(v *types.Var) any { return v.Origin() }

// rootVar returns the variable or field holding the map denoted by x.
func (f *flow) rootVar(x ast.Expr) *types.Var {
	if v := f.varOf(x); v != nil {
		return v.Origin()
	}
	return nil
}

// constKey renders a constant map key; ok is false for non-constant keys.
func (f *flow) constKey(e ast.Expr) (string, bool) {
	tv, ok := f.info.Types[e]
	if !ok || tv.Value == nil {
		return "", false
	}
	return tv.Value.ExactString(), true
}

// describe names the producer of the []byte expression e for messages:
// "os.ReadFile", "a []byte conversion", "variable raw".
func (f *flow) describe(e ast.Expr, depth int) string {
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.CallExpr:
		if isConversion(f.info, e) {
			if len(e.Args) == 1 && kit.IsByteSlice(f.info.TypeOf(e.Args[0])) {
				return f.describe(e.Args[0], depth)
			}
			return "a []byte conversion"
		}
		if fn := typeutil.StaticCallee(f.info, e); fn != nil {
			return f.funcName(fn)
		}
	case *ast.Ident:
		if v, ok := f.info.Uses[e].(*types.Var); ok && depth < 4 {
			if def, ok := f.byteDefs[v]; ok && f.byteAssigns[v] == 1 {
				if d := f.describe(def, depth+1); !strings.HasPrefix(d, "variable ") {
					return d
				}
			}
		}
		return "variable " + e.Name
	case *ast.SliceExpr:
		return f.describe(e.X, depth)
	case *ast.SelectorExpr:
		if f.varOf(e) != nil {
			return "field " + types.ExprString(e)
		}
	}
	return types.ExprString(e)
}

// funcName renders fn as pkg.Func or pkg.Type.Method, without the package
// for functions of the package under analysis.
func (f *flow) funcName(fn *types.Func) string {
	name := fn.Name()
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	if fn.Pkg() != nil && fn.Pkg() != f.pass.Pkg {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// sourceCall traces a []byte expression to the function that produced it.
func (f *flow) sourceCall(e ast.Expr, depth int) *types.Func {
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.CallExpr:
		if isConversion(f.info, e) {
			if len(e.Args) == 1 {
				return f.sourceCall(e.Args[0], depth)
			}
			return nil
		}
		return typeutil.StaticCallee(f.info, e)
	case *ast.Ident:
		if v, ok := f.info.Uses[e].(*types.Var); ok && depth < 4 {
			if def, ok := f.byteDefs[v]; ok && f.byteAssigns[v] == 1 {
				return f.sourceCall(def, depth+1)
			}
		}
	case *ast.SliceExpr:
		return f.sourceCall(e.X, depth)
	}
	return nil
}

// exportFacts publishes, for every exported function of the package, which
// of its interface results carry only []byte, so importers can follow the
// flow.
func (f *flow) exportFacts() {
	var fact map[*types.Func]*bytesResults
	for key, l := range f.locs {
		rk, ok := key.(resultKey)
		if !ok || !l.holds.onlyBytes() || !rk.fn.Exported() {
			continue
		}
		if fact == nil {
			fact = make(map[*types.Func]*bytesResults)
		}
		br := fact[rk.fn]
		if br == nil {
			br = new(bytesResults)
			fact[rk.fn] = br
		}
		br.Results = append(br.Results, bytesResult{Index: rk.index, Origin: f.qualifiedOrigin(l.origin.desc), Text: l.origin.text})
	}
	for fn, br := range fact {
		slices.SortFunc(br.Results, func(a, b bytesResult) int { return a.Index - b.Index })
		f.pass.ExportObjectFact(fn, br)
	}
}

// qualifiedOrigin makes a description meaningful in an importing package.
func (f *flow) qualifiedOrigin(desc string) string {
	if desc == "" || strings.Contains(desc, ".") || strings.HasPrefix(desc, "a ") {
		return desc
	}
	if rest, ok := strings.CutPrefix(desc, "variable "); ok {
		return "variable " + rest + " in package " + f.pass.Pkg.Name()
	}
	return f.pass.Pkg.Name() + "." + desc
}

// classifyType classifies a value of the non-interface type t: an int or a
// struct never equals text either, so it adds nothing.
func classifyType(t types.Type) holds {
	switch {
	case kit.IsByteSlice(t):
		return holdsBytes
	case isPlainString(t):
		return holdsString
	}
	return 0
}

// isIface reports whether t is an interface type (not a type parameter).
func isIface(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false
	}
	return types.IsInterface(t)
}

// isIfaceMap reports whether t is a map with interface elements.
func isIfaceMap(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false
	}
	m, ok := t.Underlying().(*types.Map)
	return ok && isIface(m.Elem())
}

// isByteSlices reports whether t is [][]byte (bytes.Split, bytes.Fields).
func isByteSlices(t types.Type) bool {
	if t == nil {
		return false
	}
	s, ok := t.Underlying().(*types.Slice)
	return ok && kit.IsByteSlice(s.Elem())
}

// isPlainString reports whether t is string or an untyped string constant:
// the dynamic type a text literal takes when compared with an interface.
func isPlainString(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && (b.Kind() == types.String || b.Kind() == types.UntypedString)
}

// isConversion reports whether call is a type conversion T(x).
func isConversion(info *types.Info, call *ast.CallExpr) bool {
	tv, ok := info.Types[call.Fun]
	return ok && tv.IsType()
}
