package wiredrift

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
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
					f.sink(o, sinkKey, "used as a map key ("+kit.ShortExpr(n.X)+"[...])", n.Index, token.NoPos)
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
