package wiredrift

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/types/typeutil"
)

// sinkKind is the identity use that unstable bytes must not reach.
type sinkKind uint8

const (
	sinkKey sinkKind = iota + 1
	sinkHash
	sinkCompare
)

func (k sinkKind) name() string {
	switch k {
	case sinkKey:
		return "key"
	case sinkHash:
		return "hash"
	case sinkCompare:
		return "compare"
	}
	return ""
}

// consequence says what goes wrong when unstable bytes reach the sink.
func (k sinkKind) consequence() string {
	switch k {
	case sinkKey:
		return "equal values give different keys"
	case sinkHash:
		return "equal values hash differently"
	case sinkCompare:
		return "equal values compare unequal"
	}
	return ""
}

// origin says where unstable bytes come from. Exactly one of three cases
// holds: a concrete map-holding type was encoded (Param and BytesParam are
// -1); parameter Param of unknown type was encoded with Enc; or the bytes
// are parameter BytesParam itself (Enc is encNone).
type origin struct {
	Enc       encoder
	TypeName  string
	MapPath   string
	Pos       token.Pos // the encoding call or the helper call
	EncodePos token.Pos // the encoding call when it is in this package
	// Call is the encoding call, or the call of the helper that encodes: the
	// node a fix rewrites.
	Call       *ast.CallExpr
	Via        string // helper function that encoded the value
	Param      int
	BytesParam int
}

func (o *origin) concrete() bool { return o.Param < 0 && o.BytesParam < 0 }

// flowFinding is unstable bytes reaching a sink: the hazard is the encoding
// (Origin.EncodePos when known), the sink is At.
type flowFinding struct {
	Origin origin
	Kind   sinkKind
	Sink   string   // e.g. "hashed by sha256.Sum256"
	At     ast.Node // where the bytes enter the sink
	// SinkPos is the sink inside a helper when At is the call of the helper.
	SinkPos token.Pos
}

// summaryFact records how a function's parameters and results carry
// unstable bytes, so that callers in this and other packages can be checked
// with their concrete argument types. It holds no maps: facts are
// gob-encoded and must be deterministic.
type summaryFact struct {
	Sinks   []paramSink
	Returns []resultFlow
}

// AFact marks summaryFact as an analysis fact.
func (*summaryFact) AFact() {}

func (s *summaryFact) String() string {
	return fmt.Sprintf("wiredrift summary: %d sinks, %d returns", len(s.Sinks), len(s.Returns))
}

func (s *summaryFact) empty() bool { return len(s.Sinks) == 0 && len(s.Returns) == 0 }

// paramSink says that parameter Param, encoded with Enc (or taken as bytes
// when Enc is encNone), reaches a sink inside the function.
type paramSink struct {
	Param int
	Enc   encoder
	Kind  sinkKind
	Desc  string
	Pos   token.Pos // zero once exported: positions do not cross packages
}

// resultFlow says that result Result carries unstable bytes: of a concrete
// type (Param < 0), of parameter Param encoded with Enc, or parameter Param
// itself when Enc is encNone.
type resultFlow struct {
	Result   int
	Param    int
	Enc      encoder
	TypeName string
	MapPath  string
	Pos      token.Pos
}

func (s *summaryFact) addSink(ps paramSink) bool {
	for _, old := range s.Sinks {
		if old.Param == ps.Param && old.Enc == ps.Enc {
			return false
		}
	}
	s.Sinks = append(s.Sinks, ps)
	return true
}

func (s *summaryFact) addReturn(rf resultFlow) bool {
	for _, old := range s.Returns {
		if old.Result == rf.Result && old.Param == rf.Param && old.Enc == rf.Enc {
			return false
		}
	}
	s.Returns = append(s.Returns, rf)
	return true
}

// funcFlow follows unstable bytes through one function body.
type funcFlow struct {
	c      *checker
	decl   *ast.FuncDecl
	name   string
	sig    *types.Signature
	params map[types.Object]int
	taint  map[types.Object]origin
	// encWriter maps a *gob.Encoder variable to the writer it was built on.
	encWriter map[types.Object]ast.Expr
	sum       summaryFact
	findings  []flowFinding
	reported  map[token.Pos]bool
}

func newFuncFlow(c *checker, decl *ast.FuncDecl, fn *types.Func) *funcFlow {
	f := &funcFlow{
		c:         c,
		decl:      decl,
		name:      fn.Name(),
		sig:       fn.Signature(),
		params:    make(map[types.Object]int),
		taint:     make(map[types.Object]origin),
		encWriter: make(map[types.Object]ast.Expr),
		reported:  make(map[token.Pos]bool),
	}
	params := f.sig.Params()
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		if f.sig.Variadic() && i == params.Len()-1 {
			break // variadic arguments do not map one to one
		}
		f.params[p] = i
		if isBytesOrString(p.Type()) {
			f.taint[p] = origin{Param: -1, BytesParam: i}
		}
	}
	return f
}

// run walks the body once, in source order.
func (f *funcFlow) run() {
	f.walk(f.decl.Body, true)
}

func (f *funcFlow) walk(body ast.Node, top bool) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			// Returns inside a literal belong to the literal.
			f.walk(n.Body, false)
			return false
		case *ast.AssignStmt:
			f.assign(n)
		case *ast.ValueSpec:
			f.valueSpec(n)
		case *ast.CallExpr:
			f.call(n)
		case *ast.IndexExpr:
			if isMap(f.c.info.TypeOf(n.X)) {
				if o := f.exprTaint(n.Index); o != nil {
					f.sink(o, sinkKey, "used as a map key ("+shortExpr(n.X)+"[...])", n.Index, token.NoPos)
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				f.compare(n)
			}
		case *ast.CompositeLit:
			f.compositeLit(n)
		case *ast.ReturnStmt:
			if top {
				f.ret(n)
			}
		}
		return true
	})
}

func (f *funcFlow) assign(n *ast.AssignStmt) {
	// A field named like a key receiving unstable bytes is a key.
	for i, lhs := range n.Lhs {
		if sel, ok := lhs.(*ast.SelectorExpr); ok && len(n.Lhs) == len(n.Rhs) {
			if o := f.exprTaint(n.Rhs[i]); o != nil && keyish(sel.Sel.Name) && f.isField(sel) {
				f.sink(o, sinkKey, "stored in key field "+sel.Sel.Name, n.Rhs[i], token.NoPos)
			}
		}
	}
	if len(n.Rhs) == 1 && len(n.Lhs) > 1 {
		call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return
		}
		for i, lhs := range n.Lhs {
			f.set(lhs, f.callResultTaint(call, i))
		}
		return
	}
	for i, lhs := range n.Lhs {
		if i >= len(n.Rhs) {
			break
		}
		f.recordEncoder(lhs, n.Rhs[i])
		o := f.exprTaint(n.Rhs[i])
		if n.Tok == token.ADD_ASSIGN && o == nil {
			continue // s += clean keeps s's taint
		}
		f.set(lhs, o)
	}
}

func (f *funcFlow) valueSpec(n *ast.ValueSpec) {
	if len(n.Values) == 1 && len(n.Names) > 1 {
		if call, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
			for i, id := range n.Names {
				f.set(id, f.callResultTaint(call, i))
			}
		}
		return
	}
	for i, id := range n.Names {
		if i < len(n.Values) {
			f.recordEncoder(id, n.Values[i])
			f.set(id, f.exprTaint(n.Values[i]))
		}
	}
}

// set records (or clears) the taint of an assigned variable.
func (f *funcFlow) set(lhs ast.Expr, o *origin) {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return
	}
	obj := f.c.info.ObjectOf(id)
	if obj == nil {
		return
	}
	if o == nil {
		delete(f.taint, obj)
		return
	}
	f.taint[obj] = *o
}

// recordEncoder remembers enc := gob.NewEncoder(w).
func (f *funcFlow) recordEncoder(lhs, rhs ast.Expr) {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || !isPkgFunc(f.c.info, call, "encoding/gob", "NewEncoder") || len(call.Args) != 1 {
		return
	}
	if id, ok := lhs.(*ast.Ident); ok {
		if obj := f.c.info.ObjectOf(id); obj != nil {
			f.encWriter[obj] = call.Args[0]
		}
	}
}

func (f *funcFlow) isField(sel *ast.SelectorExpr) bool {
	s, ok := f.c.info.Selections[sel]
	return ok && s.Kind() == types.FieldVal
}

// exprTaint returns the origin of the unstable bytes e carries, or nil.
func (f *funcFlow) exprTaint(e ast.Expr) *origin {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := f.c.info.ObjectOf(e); obj != nil {
			if o, ok := f.taint[obj]; ok {
				return &o
			}
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return f.exprTaint(e.X)
		}
	case *ast.StarExpr:
		return f.exprTaint(e.X)
	case *ast.SliceExpr:
		return f.exprTaint(e.X)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			if o := f.exprTaint(e.X); o != nil {
				return o
			}
			return f.exprTaint(e.Y)
		}
	case *ast.CallExpr:
		return f.callResultTaint(e, 0)
	}
	return nil
}

// callResultTaint returns the origin of result i of call.
func (f *funcFlow) callResultTaint(call *ast.CallExpr, i int) *origin {
	info := f.c.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) == 1 && i == 0 {
			return f.exprTaint(call.Args[0]) // string(b), []byte(s), Key(s)
		}
		return nil
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := info.Uses[id].(*types.Builtin); ok {
			if id.Name == "append" && i == 0 {
				for _, a := range call.Args {
					if o := f.exprTaint(a); o != nil {
						return o
					}
				}
			}
			return nil
		}
	}
	if i == 0 {
		if o := f.protoSource(call); o != nil {
			return o
		}
		if o := f.jsonv2Source(call); o != nil {
			return o
		}
	}
	// buf.Bytes(), buf.String() on a tainted buffer.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && i == 0 {
		if (sel.Sel.Name == "Bytes" || sel.Sel.Name == "String") && isBuffer(info.TypeOf(sel.X)) {
			return f.exprTaint(sel.X)
		}
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil
	}
	if i == 0 && propagates(fn) {
		for _, a := range call.Args {
			if o := f.exprTaint(a); o != nil {
				return o
			}
		}
		return nil
	}
	sum := f.c.summaryOf(fn)
	if sum == nil {
		return nil
	}
	for _, r := range sum.Returns {
		if r.Result != i {
			continue
		}
		switch {
		case r.Param < 0:
			return &origin{Enc: r.Enc, TypeName: r.TypeName, MapPath: r.MapPath, Pos: call.Pos(), EncodePos: r.Pos, Call: call, Via: kit.ShortName(fn), Param: -1, BytesParam: -1}
		case r.Param < len(call.Args) && r.Enc == encNone:
			return f.exprTaint(call.Args[r.Param])
		case r.Param < len(call.Args):
			if o := f.encodeOrigin(r.Enc, call.Args[r.Param], call); o != nil {
				o.Via = kit.ShortName(fn)
				o.EncodePos = r.Pos
				return o
			}
		}
	}
	return nil
}

// encodeOrigin describes the bytes of encoding arg with enc, or returns nil
// when they are stable or unknown.
func (f *funcFlow) encodeOrigin(enc encoder, arg ast.Expr, call *ast.CallExpr) *origin {
	pos := call.Pos()
	t := f.c.info.TypeOf(arg)
	if t == nil {
		return nil
	}
	if isUnknownType(t) {
		if id, ok := ast.Unparen(arg).(*ast.Ident); ok {
			if i, ok := f.params[f.c.info.ObjectOf(id)]; ok {
				return &origin{Enc: enc, Pos: pos, EncodePos: pos, Call: call, Param: i, BytesParam: -1}
			}
		}
		return nil
	}
	mp := mapPath(enc, t)
	if mp == "" {
		return nil
	}
	return &origin{Enc: enc, TypeName: f.c.typeName(t), MapPath: mp, Pos: pos, EncodePos: pos, Call: call, Param: -1, BytesParam: -1}
}

// protoSource recognises proto.Marshal(m) and non-deterministic
// MarshalOptions.Marshal(m).
func (f *funcFlow) protoSource(call *ast.CallExpr) *origin {
	fn := typeutil.StaticCallee(f.c.info, call)
	if fn == nil || fn.Pkg() == nil || !isProtoPkg(fn.Pkg().Path()) {
		return nil
	}
	recv := fn.Signature().Recv()
	switch {
	case recv == nil && fn.Name() == "Marshal" && len(call.Args) == 1:
		return f.encodeOrigin(encProto, call.Args[0], call)
	case recv != nil && (fn.Name() == "Marshal" || fn.Name() == "MarshalAppend"):
		if named, ok := types.Unalias(derefType(recv.Type())).(*types.Named); !ok || named.Obj().Name() != "MarshalOptions" {
			return nil
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || f.optionsDeterministic(sel.X) {
			return nil
		}
		arg := call.Args[len(call.Args)-1]
		return f.encodeOrigin(encProto, arg, call)
	}
	return nil
}

// optionsDeterministic reports whether a proto.MarshalOptions expression may
// set Deterministic. Options whose construction is not visible count as
// deterministic so that the check stays quiet when it cannot know.
func (f *funcFlow) optionsDeterministic(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.CompositeLit:
		return litSetsDeterministic(f.c.info, x)
	case *ast.Ident:
		obj := f.c.info.ObjectOf(x)
		if obj == nil {
			return true
		}
		defined, det := false, false
		var scope ast.Node = f.decl.Body
		if obj.Parent() == f.c.pass.Pkg.Scope() {
			// A package-level options variable may be set in any file.
			files := &ast.File{}
			for _, file := range f.c.pass.Files {
				files.Decls = append(files.Decls, file.Decls...)
			}
			scope = files
		}
		inspectDefs(scope, f.c.info, obj, func(rhs ast.Expr, field string) {
			if field == "Deterministic" {
				if !isConstFalse(f.c.info, rhs) {
					det = true
				}
				return
			}
			if field != "" {
				return
			}
			lit, ok := ast.Unparen(rhs).(*ast.CompositeLit)
			if !ok {
				det = true // built elsewhere: unknown
				return
			}
			defined = true
			if litSetsDeterministic(f.c.info, lit) {
				det = true
			}
		})
		return det || !defined
	}
	return true
}

func litSetsDeterministic(info *types.Info, lit *ast.CompositeLit) bool {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Deterministic" && !isConstFalse(info, kv.Value) {
			return true
		}
	}
	return false
}

// inspectDefs calls fn for each assignment to obj (field "") and to
// obj.Field (field set) in body, and for obj's declaration with a value.
func inspectDefs(body ast.Node, info *types.Info, obj types.Object, fn func(rhs ast.Expr, field string)) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, lhs := range n.Lhs {
				switch lhs := ast.Unparen(lhs).(type) {
				case *ast.Ident:
					if info.ObjectOf(lhs) == obj {
						fn(n.Rhs[i], "")
					}
				case *ast.SelectorExpr:
					if id, ok := ast.Unparen(lhs.X).(*ast.Ident); ok && info.ObjectOf(id) == obj {
						fn(n.Rhs[i], lhs.Sel.Name)
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if info.ObjectOf(id) == obj && i < len(n.Values) {
					fn(n.Values[i], "")
				}
			}
		}
		return true
	})
}

// jsonv2Source recognises json v2 Marshal of a map-holding value without
// Deterministic(true).
func (f *funcFlow) jsonv2Source(call *ast.CallExpr) *origin {
	fn := typeutil.StaticCallee(f.c.info, call)
	if fn == nil || fn.Pkg() == nil || !isJSONv2Pkg(fn.Pkg().Path()) || fn.Name() != "Marshal" || len(call.Args) == 0 {
		return nil
	}
	if f.c.jsonDeterministic(call, call.Args[1:]) {
		return nil
	}
	return f.encodeOrigin(encJSONv2, call.Args[0], call)
}

// call handles encoding side effects and call sinks.
func (f *funcFlow) call(call *ast.CallExpr) {
	info := f.c.info
	f.writerEncode(call)

	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			if b.Name() == "delete" && len(call.Args) == 2 {
				if o := f.exprTaint(call.Args[1]); o != nil {
					f.sink(o, sinkKey, "used as a map key (delete)", call.Args[1], token.NoPos)
				}
			}
			return
		}
	}
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return
	}
	fn := typeutil.StaticCallee(info, call)
	if fn != nil {
		if f.summarySinks(call, fn) {
			return
		}
	}
	taints := make([]*origin, len(call.Args))
	tainted := false
	for i, a := range call.Args {
		taints[i] = f.exprTaint(a)
		tainted = tainted || taints[i] != nil
	}
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	// buf.WriteTo(h) copies the buffer into a hash.
	if sel != nil && sel.Sel.Name == "WriteTo" && isBuffer(info.TypeOf(sel.X)) && len(call.Args) == 1 && kit.IsHash(info.TypeOf(call.Args[0])) {
		if o := f.exprTaint(sel.X); o != nil {
			f.sink(o, sinkHash, "written into hash "+shortExpr(call.Args[0]), call, token.NoPos)
			return
		}
	}
	if !tainted {
		return
	}
	// firstTaint prefers a concrete origin: comparing a parameter with
	// unstable bytes is a finding here, and a summary entry only otherwise.
	firstTaint := func(args []int) (*origin, ast.Expr) {
		var o *origin
		var at ast.Expr
		for _, i := range args {
			if i < len(taints) && taints[i] != nil {
				if taints[i].concrete() {
					return taints[i], call.Args[i]
				}
				if o == nil {
					o, at = taints[i], call.Args[i]
				}
			}
		}
		return o, at
	}
	all := make([]int, len(call.Args))
	for i := range all {
		all[i] = i
	}
	callName := shortExpr(call.Fun)

	if fn != nil && fn.Pkg() != nil {
		path, name := fn.Pkg().Path(), fn.Name()
		recv := fn.Signature().Recv()
		switch {
		case recv == nil && kit.IsHashFunc(path, name):
			if o, at := firstTaint(all); o != nil {
				f.sink(o, sinkHash, "hashed by "+callName, at, token.NoPos)
				return
			}
		case recv == nil && isCompareFunc(path, name):
			args := all
			if strings.HasPrefix(path, "github.com/stretchr/testify/") {
				args = []int{1, 2}
			}
			if o, at := firstTaint(args); o != nil && !f.otherArgsConst(call, args, at) {
				f.sink(o, sinkCompare, "compared by "+callName, at, token.NoPos)
				return
			}
		case recv == nil && (path == "io" && (name == "WriteString" || name == "Copy") || path == "fmt" && strings.HasPrefix(name, "Fprint") || path == "encoding/binary" && name == "Write"):
			if len(call.Args) > 1 && kit.IsHash(info.TypeOf(call.Args[0])) {
				if o, at := firstTaint(all[1:]); o != nil {
					f.sink(o, sinkHash, "written into hash "+shortExpr(call.Args[0]), at, token.NoPos)
					return
				}
			}
		}
	}
	if sel != nil && (sel.Sel.Name == "Write" || sel.Sel.Name == "WriteString") && kit.IsHash(info.TypeOf(sel.X)) {
		if o, at := firstTaint(all); o != nil {
			f.sink(o, sinkHash, "hashed by "+callName, at, token.NoPos)
			return
		}
	}
	sig, _ := info.TypeOf(call.Fun).(*types.Signature)
	if sig == nil {
		return
	}
	// The ETag header names a representation; clients send it back.
	if sel != nil && (sel.Sel.Name == "Set" || sel.Sel.Name == "Add") && kit.IsNamedOrPtr(info.TypeOf(sel.X), "net/http", "Header") && len(call.Args) == 2 {
		if s, ok := constString(info, call.Args[0]); ok && (strings.EqualFold(s, "ETag") || strings.EqualFold(s, "If-None-Match")) && taints[1] != nil {
			f.sink(taints[1], sinkKey, "sent as the ETag header", call.Args[1], token.NoPos)
			return
		}
	}
	// Arguments bound to parameters named like keys.
	params := sig.Params()
	for i, a := range call.Args {
		if taints[i] == nil || i >= params.Len() || (sig.Variadic() && i >= params.Len()-1) {
			continue
		}
		if pn := params.At(i).Name(); pn == "k" || keyish(pn) {
			f.sink(taints[i], sinkKey, "passed as the "+pn+" argument of "+callName, a, token.NoPos)
			return
		}
	}
	// The first argument of cache-like methods.
	if sel != nil && f.isMethodValue(sel) {
		if taints[0] != nil && cacheMethod(sel.Sel.Name, params) {
			f.sink(taints[0], sinkKey, "used as the key of "+callName, call.Args[0], token.NoPos)
		}
	}
}

func (f *funcFlow) isMethodValue(sel *ast.SelectorExpr) bool {
	s, ok := f.c.info.Selections[sel]
	return ok && (s.Kind() == types.MethodVal)
}

// otherArgsConst reports whether every compared argument other than at is a
// constant or nil: comparing with a fixed value is an emptiness check, not
// an identity test.
func (f *funcFlow) otherArgsConst(call *ast.CallExpr, args []int, at ast.Expr) bool {
	for _, i := range args {
		if i >= len(call.Args) || call.Args[i] == at {
			continue
		}
		tv := f.c.info.Types[call.Args[i]]
		if tv.Value == nil && !tv.IsNil() {
			return false
		}
	}
	return true
}

// summarySinks checks a call of a summarised function. It returns true when
// it reported, so that the generic call rules do not report the same flow.
func (f *funcFlow) summarySinks(call *ast.CallExpr, fn *types.Func) bool {
	sum := f.c.summaryOf(fn)
	if sum == nil {
		return false
	}
	done := false
	for _, s := range sum.Sinks {
		if s.Param >= len(call.Args) {
			continue
		}
		arg := call.Args[s.Param]
		desc := s.Desc + " in " + kit.ShortName(fn)
		if s.Enc == encNone {
			if o := f.exprTaint(arg); o != nil {
				f.sink(o, s.Kind, desc, arg, s.Pos)
				done = true
			}
			continue
		}
		if o := f.encodeOrigin(s.Enc, arg, call); o != nil {
			o.Via = kit.ShortName(fn)
			o.EncodePos = token.NoPos
			f.sink(o, s.Kind, desc, arg, s.Pos)
			done = true
		}
	}
	return done
}

// writerEncode handles encoders that write into an io.Writer:
// gob.NewEncoder(w).Encode(v) and json v2 MarshalWrite(w, v).
func (f *funcFlow) writerEncode(call *ast.CallExpr) {
	info := f.c.info
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	var w ast.Expr
	var o *origin
	switch {
	case ok && (sel.Sel.Name == "Encode" || sel.Sel.Name == "EncodeValue") && kit.IsNamedOrPtr(info.TypeOf(sel.X), "encoding/gob", "Encoder") && len(call.Args) == 1:
		switch x := ast.Unparen(sel.X).(type) {
		case *ast.CallExpr:
			if isPkgFunc(info, x, "encoding/gob", "NewEncoder") && len(x.Args) == 1 {
				w = x.Args[0]
			}
		case *ast.Ident:
			w = f.encWriter[info.ObjectOf(x)]
		}
		if w == nil || sel.Sel.Name == "EncodeValue" {
			return
		}
		o = f.encodeOrigin(encGob, call.Args[0], call)
	default:
		fn := typeutil.StaticCallee(info, call)
		if fn == nil || fn.Pkg() == nil || !isJSONv2Pkg(fn.Pkg().Path()) || fn.Name() != "MarshalWrite" || len(call.Args) < 2 {
			return
		}
		if f.c.jsonDeterministic(call, call.Args[2:]) {
			return
		}
		w = call.Args[0]
		o = f.encodeOrigin(encJSONv2, call.Args[1], call)
	}
	if o == nil {
		return
	}
	wt := info.TypeOf(w)
	switch {
	case kit.IsHash(wt):
		f.sink(o, sinkHash, "written into hash "+shortExpr(w), call, token.NoPos)
	case isBuffer(wt):
		x := ast.Unparen(w)
		if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
			x = ast.Unparen(u.X)
		}
		if id, ok := x.(*ast.Ident); ok {
			if obj := info.ObjectOf(id); obj != nil {
				if _, seen := f.taint[obj]; !seen {
					f.taint[obj] = *o
				}
			}
		}
	}
}

// compare handles == and != on tainted operands.
func (f *funcFlow) compare(n *ast.BinaryExpr) {
	pairs := [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}}
	if o := f.exprTaint(n.Y); o != nil && o.concrete() {
		pairs[0], pairs[1] = pairs[1], pairs[0]
	}
	for _, pair := range pairs {
		o := f.exprTaint(pair[0])
		if o == nil {
			continue
		}
		tv := f.c.info.Types[pair[1]]
		if tv.Value != nil || tv.IsNil() {
			return
		}
		f.sink(o, sinkCompare, "compared with "+n.Op.String(), pair[0], token.NoPos)
		return
	}
}

func (f *funcFlow) compositeLit(n *ast.CompositeLit) {
	t := f.c.info.TypeOf(n)
	if t == nil {
		return
	}
	switch t.Underlying().(type) {
	case *types.Map:
		for _, elt := range n.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if o := f.exprTaint(kv.Key); o != nil {
					f.sink(o, sinkKey, "used as a map key", kv.Key, token.NoPos)
				}
			}
		}
	case *types.Struct:
		for _, elt := range n.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			id, ok := kv.Key.(*ast.Ident)
			if !ok || !keyish(id.Name) {
				continue
			}
			if o := f.exprTaint(kv.Value); o != nil {
				f.sink(o, sinkKey, "stored in key field "+f.c.typeName(t)+"."+id.Name, kv.Value, token.NoPos)
			}
		}
	}
}

// ret handles the function's own returns: a key-named function returning
// unstable bytes is a sink; otherwise the flow goes into the summary.
func (f *funcFlow) ret(n *ast.ReturnStmt) {
	results := f.sig.Results()
	var taints []*origin
	var exprs []ast.Expr
	switch {
	case len(n.Results) == 1 && results.Len() > 1:
		call, ok := ast.Unparen(n.Results[0]).(*ast.CallExpr)
		if !ok {
			return
		}
		for i := 0; i < results.Len(); i++ {
			taints = append(taints, f.callResultTaint(call, i))
			exprs = append(exprs, call)
		}
	default:
		for _, r := range n.Results {
			taints = append(taints, f.exprTaint(r))
			exprs = append(exprs, r)
		}
	}
	for i, o := range taints {
		if o == nil {
			continue
		}
		if keyish(f.name) {
			f.sink(o, sinkKey, "returned by "+f.name, exprs[i], token.NoPos)
			continue
		}
		rf := resultFlow{Result: i, Param: -1, Enc: o.Enc, TypeName: o.TypeName, MapPath: o.MapPath, Pos: o.EncodePos}
		switch {
		case o.Param >= 0:
			rf.Param = o.Param
		case o.BytesParam >= 0:
			rf.Param, rf.Enc = o.BytesParam, encNone
		}
		f.sum.addReturn(rf)
	}
}

// sink records unstable bytes reaching a sink: a finding when the encoded
// type is known, a summary entry when it depends on a parameter.
func (f *funcFlow) sink(o *origin, kind sinkKind, desc string, at ast.Node, inner token.Pos) {
	switch {
	case o.concrete():
		if f.reported[o.Pos] {
			return
		}
		f.reported[o.Pos] = true
		f.findings = append(f.findings, flowFinding{Origin: *o, Kind: kind, Sink: desc, At: at, SinkPos: inner})
	case o.Param >= 0:
		f.sum.addSink(paramSink{Param: o.Param, Enc: o.Enc, Kind: kind, Desc: desc, Pos: at.Pos()})
	default:
		f.sum.addSink(paramSink{Param: o.BytesParam, Enc: encNone, Kind: kind, Desc: desc, Pos: at.Pos()})
	}
}

// ---- classification helpers ----

func isMap(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Map)
	return ok
}

func isBytesOrString(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		return isByte(u.Elem())
	}
	return false
}

func derefType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isBuffer(t types.Type) bool {
	return kit.IsNamedOrPtr(t, "bytes", "Buffer") || kit.IsNamedOrPtr(t, "strings", "Builder")
}

func ptrIfValue(t types.Type) types.Type {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return t
	}
	return types.NewPointer(t)
}

var compareFuncs = map[string]bool{
	"bytes.Equal": true, "bytes.Compare": true, "reflect.DeepEqual": true,
	"slices.Equal": true, "slices.Compare": true, "strings.Compare": true, "strings.EqualFold": true,
	"crypto/subtle.ConstantTimeCompare": true, "crypto/hmac.Equal": true,
	"github.com/google/go-cmp/cmp.Equal": true, "github.com/google/go-cmp/cmp.Diff": true,
	"github.com/stretchr/testify/assert.Equal": true, "github.com/stretchr/testify/assert.NotEqual": true,
	"github.com/stretchr/testify/assert.EqualValues": true, "github.com/stretchr/testify/assert.Exactly": true,
	"github.com/stretchr/testify/require.Equal": true, "github.com/stretchr/testify/require.NotEqual": true,
	"github.com/stretchr/testify/require.EqualValues": true, "github.com/stretchr/testify/require.Exactly": true,
}

func isCompareFunc(path, name string) bool { return compareFuncs[path+"."+name] }

// propagates reports whether fn's result carries its arguments' bytes.
func propagates(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	switch path {
	case "encoding/hex":
		return name == "EncodeToString" || name == "Encode" || name == "AppendEncode"
	case "encoding/base64", "encoding/base32":
		return name == "EncodeToString" || name == "AppendEncode"
	case "fmt":
		return name == "Sprint" || name == "Sprintf" || name == "Sprintln" || name == "Append" || name == "Appendf"
	case "strings":
		switch name {
		case "ToLower", "ToUpper", "TrimSpace", "Trim", "TrimLeft", "TrimRight", "TrimPrefix", "TrimSuffix", "Clone", "Repeat", "Join":
			return true
		}
	case "bytes":
		switch name {
		case "Clone", "ToLower", "ToUpper", "TrimSpace", "Trim", "TrimPrefix", "TrimSuffix", "Join":
			return true
		}
	case "net/url":
		return name == "PathEscape" || name == "QueryEscape"
	case "path", "path/filepath":
		return name == "Join"
	case "strconv":
		return name == "Quote"
	}
	return false
}

// keyish reports whether an identifier names an identity: key, hash,
// digest, ETag, fingerprint, checksum or ID.
func keyish(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range []string{"etag", "checksum", "fingerprint", "digest"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, w := range splitWords(name) {
		switch w {
		case "key", "hash", "id", "cachekey", "hashkey":
			return true
		}
	}
	return strings.HasSuffix(lower, "key") && lower != "monkey" && lower != "turkey"
}

// splitWords splits a Go identifier into lowercase words at case changes
// and underscores: cacheKeyID -> cache, key, id.
func splitWords(name string) []string {
	var words []string
	start := 0
	rs := []rune(name)
	isUpper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	for i := 1; i <= len(rs); i++ {
		boundary := i == len(rs) || rs[i] == '_' ||
			(isUpper(rs[i]) && !isUpper(rs[i-1])) ||
			(isUpper(rs[i]) && i+1 < len(rs) && !isUpper(rs[i+1]) && rs[i+1] != '_' && isUpper(rs[i-1]))
		if boundary {
			if w := strings.Trim(string(rs[start:i]), "_"); w != "" {
				words = append(words, strings.ToLower(w))
			}
			start = i
		}
	}
	return words
}

// cacheMethod reports whether a method named name with params takes a key
// as its first argument.
func cacheMethod(name string, params *types.Tuple) bool {
	switch name {
	case "Get", "Load", "Delete", "Has", "Contains", "Exists", "Remove", "Lookup", "Peek", "Fetch", "Add", "LoadAndDelete", "GetOrSet":
		return params.Len() >= 1
	case "Set", "Put", "Store", "LoadOrStore", "Swap", "CompareAndSwap", "SetWithTTL":
		// A single-argument Store (atomic.Value) stores a value, not a key.
		return params.Len() >= 2
	}
	return false
}

func isPkgFunc(info *types.Info, call *ast.CallExpr, path, name string) bool {
	return kit.IsPkgFunc(kit.StaticCallee(info, call), path, name)
}

func isProtoPkg(path string) bool {
	return path == "google.golang.org/protobuf/proto" || path == "github.com/golang/protobuf/proto"
}

// isJSONv2Pkg recognises encoding/json/v2 and the go-json-experiment
// prototype, including vendored copies such as kube-openapi's
// internal/third_party/go-json-experiment/json.
func isJSONv2Pkg(path string) bool {
	return path == "encoding/json/v2" || path == "github.com/go-json-experiment/json" ||
		strings.HasSuffix(path, "/go-json-experiment/json")
}

func isConstFalse(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	return tv.Value != nil && tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value)
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv := info.Types[e]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// shortExpr renders an expression for a message, eliding long arguments.
func shortExpr(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
