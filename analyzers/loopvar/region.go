// This file follows an alias of a loop variable (or of a parameter, to
// summarize a function) through a region of code until it escapes.

package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

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
			return r.sink(p, sinkStore, "sent on channel "+kit.ShortExpr(p.Node().(*ast.SendStmt).Chan), 0)
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
	return r.sink(ixC.Parent(), sinkStore, "used as a key of "+kit.ShortExpr(ix.X), 0)
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
