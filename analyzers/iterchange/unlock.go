package iterchange

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// findSeqAfterUnlock reports iterators over mutex-guarded state that are
// created while the mutex is held and used once it is released.
func findSeqAfterUnlock(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	var out []finding
	for cur := range insp.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var body *ast.BlockStmt
		var sig *types.Signature
		switch fn := cur.Node().(type) {
		case *ast.FuncDecl:
			body = fn.Body
			if obj, ok := pass.TypesInfo.Defs[fn.Name].(*types.Func); ok {
				sig = obj.Signature()
			}
		case *ast.FuncLit:
			body = fn.Body
			sig, _ = pass.TypesInfo.TypeOf(fn).(*types.Signature)
		}
		if body == nil {
			continue
		}
		s := &lockScan{pass: pass, sig: sig}
		// Each function literal is scanned as its own function: its
		// statements run when it is called, not where it is written.
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				s.scanList(n.List)
			case *ast.CaseClause:
				s.scanList(n.Body)
			case *ast.CommClause:
				s.scanList(n.Body)
			}
			return true
		})
		out = append(out, s.findings...)
	}
	return out
}

// lockScan looks for Lock/Unlock pairs in the statement lists of one
// function.
type lockScan struct {
	pass     *analysis.Pass
	sig      *types.Signature // of the function, for its result types
	findings []finding
}

// held describes one critical section.
type held struct {
	recv   ast.Expr // the mutex, e.g. c.mu
	name   string   // rendered recv
	unlock string   // "Unlock" or "RUnlock"
	// guards reports whether an identifier denotes state the mutex guards.
	guards func(*ast.Ident) bool
}

func (s *lockScan) scanList(list []ast.Stmt) {
	for i, st := range list {
		h, ok := s.lockStmt(st)
		if !ok {
			continue
		}
	scan:
		for j := i + 1; j < len(list); j++ {
			switch {
			case s.isDeferredUnlock(list[j], h):
				s.deferredSection(list[i+1:], h, list[j])
				break scan
			case s.isUnlockStmt(list[j], h):
				s.explicitSection(list[i+1:j], list[j+1:], h, list[j])
				break scan
			}
			if other, ok := s.lockStmt(list[j]); ok && other.name == h.name {
				break
			}
		}
	}
}

// lockStmt recognises "x.Lock()" and "x.RLock()" on a sync.Mutex or
// sync.RWMutex (also promoted through embedding).
func (s *lockScan) lockStmt(st ast.Stmt) (held, bool) {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return held{}, false
	}
	recv, name, ok := s.mutexCall(es.X, "Lock", "RLock")
	if !ok {
		return held{}, false
	}
	h := held{recv: recv, name: types.ExprString(recv), unlock: "Unlock"}
	if name == "RLock" {
		h.unlock = "RUnlock"
	}
	h.guards = s.guardPredicate(recv)
	return h, true
}

// mutexCall matches a call of one of the named methods of sync.Mutex or
// sync.RWMutex and returns the receiver expression.
func (s *lockScan) mutexCall(e ast.Expr, names ...string) (ast.Expr, string, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil, "", false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, "", false
	}
	fn := kit.Callee(s.pass.TypesInfo, call)
	if !kit.IsMethod(fn, "sync", "Mutex", names...) && !kit.IsMethod(fn, "sync", "RWMutex", names...) {
		return nil, "", false
	}
	return sel.X, fn.Name(), true
}

func (s *lockScan) isUnlockStmt(st ast.Stmt, h held) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	recv, _, ok := s.mutexCall(es.X, h.unlock)
	return ok && types.ExprString(recv) == h.name
}

// isDeferredUnlock matches "defer x.Unlock()" and
// "defer func() { ...; x.Unlock() }()".
func (s *lockScan) isDeferredUnlock(st ast.Stmt, h held) bool {
	d, ok := st.(*ast.DeferStmt)
	if !ok {
		return false
	}
	if recv, _, ok := s.mutexCall(d.Call, h.unlock); ok {
		return types.ExprString(recv) == h.name
	}
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok {
		return false
	}
	for _, inner := range lit.Body.List {
		if s.isUnlockStmt(inner, h) {
			return true
		}
	}
	return false
}

// guardPredicate decides which identifiers denote state guarded by the
// mutex recv: for c.mu (or an embedded c.Lock) anything reached from c; for a
// bare mutex variable mu, the other variables declared in the same scope
// (package-level state next to a package-level mutex, locals next to a local
// one).
func (s *lockScan) guardPredicate(recv ast.Expr) func(*ast.Ident) bool {
	root := kit.RootIdent(recv)
	if root == nil {
		return func(*ast.Ident) bool { return false }
	}
	rootObj := s.pass.TypesInfo.ObjectOf(root)
	if rootObj == nil {
		return func(*ast.Ident) bool { return false }
	}
	if id, ok := ast.Unparen(recv).(*ast.Ident); ok && id == root && isMutexType(rootObj.Type()) {
		scope := rootObj.Parent()
		return func(id *ast.Ident) bool {
			v, ok := s.pass.TypesInfo.Uses[id].(*types.Var)
			return ok && v != rootObj && scope != nil && v.Parent() == scope
		}
	}
	return func(id *ast.Ident) bool { return s.pass.TypesInfo.Uses[id] == rootObj }
}

// isMutexType reports whether t is sync.Mutex or sync.RWMutex, or a pointer
// to one, as opposed to a struct that embeds one.
func isMutexType(t types.Type) bool {
	named, ok := types.Unalias(kit.Deref(t)).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == "sync" && (obj.Name() == "Mutex" || obj.Name() == "RWMutex")
}

// guardedSeq reports whether e creates an iterator over guarded state, and
// renders that state's kind ("the map", "the slice"...).
func (s *lockScan) guardedSeq(e ast.Expr, h held) (string, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !isSeqType(s.pass.TypesInfo.TypeOf(call)) {
		return "", false
	}
	candidates := append([]ast.Expr(nil), call.Args...)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if selection := s.pass.TypesInfo.Selections[sel]; selection != nil && selection.Kind() == types.MethodVal {
			candidates = append(candidates, sel.X)
		}
	}
	for _, c := range candidates {
		t := s.pass.TypesInfo.TypeOf(c)
		if t == nil || !mutable(t) || !mentions(c, h.guards) || freshCopy(s.pass.TypesInfo, c) {
			continue
		}
		switch t.Underlying().(type) {
		case *types.Map:
			return "the map", true
		case *types.Slice:
			return "the slice", true
		}
		return "the guarded state", true
	}
	return "", false
}

// freshCopy reports whether e is a copy made by the call itself
// (maps.Clone, slices.Clone, slices.Collect, slices.Sorted): no one else
// holds it, so an iterator over it reads no shared state.
func freshCopy(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := kit.Callee(info, call)
	return kit.IsPkgFunc(fn, "maps", "Clone") || kit.IsPkgFunc(fn, "slices", "Clone", "Collect", "Sorted", "SortedFunc", "SortedStableFunc")
}

// mutable reports whether a value of type t can change under a reader after
// being passed along: strings, numbers and arrays are copied.
func mutable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Basic, *types.Array:
		return false
	}
	return true
}

func seqName(t types.Type) string {
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return "iter." + named.Obj().Name()
	}
	return "iterator"
}

// seqVar is a variable holding an iterator created in a critical section.
type seqVar struct {
	obj       types.Object
	call      ast.Expr
	container string
}

// sectionSeqs collects the guarded iterators created in stmts and stored in
// variables, and calls onReturn for each return statement (outside function
// literals).
func (s *lockScan) sectionSeqs(stmts []ast.Stmt, h held, onReturn func(*ast.ReturnStmt, map[types.Object]seqVar)) map[types.Object]seqVar {
	vars := make(map[types.Object]seqVar)
	record := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok || id.Name == "_" {
			return
		}
		obj := s.pass.TypesInfo.ObjectOf(id)
		if obj == nil {
			return
		}
		if container, ok := s.guardedSeq(rhs, h); ok {
			vars[obj] = seqVar{obj: obj, call: rhs, container: container}
		} else {
			delete(vars, obj)
		}
	}
	for _, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						record(n.Lhs[i], n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i := range n.Names {
						record(n.Names[i], n.Values[i])
					}
				}
			case *ast.ReturnStmt:
				if onReturn != nil {
					onReturn(n, vars)
				}
			}
			return true
		})
	}
	return vars
}

// explicitSection handles Lock ... Unlock in one statement list: iterators
// created inside and used after the Unlock.
func (s *lockScan) explicitSection(inside, after []ast.Stmt, h held, unlock ast.Stmt) {
	vars := s.sectionSeqs(inside, h, nil)
	ordered := slices.SortedFunc(maps.Values(vars), func(a, b seqVar) int { return cmp.Compare(a.call.Pos(), b.call.Pos()) })
	for _, v := range ordered {
		use, how := s.firstUseAfter(after, v.obj, h)
		if use == nil {
			continue
		}
		s.findings = append(s.findings, finding{
			kind:   kindSeqAfterUnlock,
			hazard: v.call,
			sink:   use,
			message: fmt.Sprintf("%s from %s is created while %s is held and %s after %s.%s: %s is read without the lock; "+
				"collect it with slices.Collect before unlocking",
				seqName(s.pass.TypesInfo.TypeOf(v.call)), render(v.call), h.name, how, h.name, h.unlock, v.container),
			sinkNote: fmt.Sprintf("%s here, after %s.%s", how, h.name, h.unlock),
		})
	}
}

// firstUseAfter finds the first use of obj in stmts that reads it without
// the lock. It gives up at a reassignment of obj or when the same mutex is
// locked again.
func (s *lockScan) firstUseAfter(stmts []ast.Stmt, obj types.Object, h held) (ast.Node, string) {
	for _, st := range stmts {
		if other, ok := s.lockStmt(st); ok && other.name == h.name {
			return nil, ""
		}
		var use ast.Node
		how := ""
		done := false
		var stack []ast.Node
		ast.Inspect(st, func(n ast.Node) bool {
			if done {
				return false
			}
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if id, ok := n.(*ast.Ident); ok && s.pass.TypesInfo.Uses[id] == obj {
				done = true
				use, how = describeUse(id, stack)
				return false
			}
			stack = append(stack, n)
			return true
		})
		if done {
			return use, how
		}
	}
	return nil, ""
}

// describeUse says how the identifier id (with its ancestors in stack) uses
// the iterator; a nil node means it is overwritten, not read.
func describeUse(id *ast.Ident, stack []ast.Node) (ast.Node, string) {
	if len(stack) == 0 {
		return id, "used"
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.RangeStmt:
		if p.X == id {
			return id, "ranged"
		}
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == id {
				if p.Tok == token.ASSIGN {
					return nil, ""
				}
			}
		}
	case *ast.CallExpr:
		if p.Fun != id {
			return id, "passed to " + render(p.Fun)
		}
		return id, "called"
	case *ast.ReturnStmt:
		return id, "returned"
	}
	return id, "used"
}

// deferredSection handles Lock followed by a deferred Unlock: the lock is
// released when the function returns, so an iterator over guarded state that
// is returned is ranged by the caller without the lock.
func (s *lockScan) deferredSection(rest []ast.Stmt, h held, deferStmt ast.Stmt) {
	s.sectionSeqs(rest, h, func(ret *ast.ReturnStmt, vars map[types.Object]seqVar) {
		for i, r := range ret.Results {
			r = ast.Unparen(r)
			var hazard ast.Expr
			var sinkNode ast.Node = deferStmt
			container := ""
			switch x := r.(type) {
			case *ast.Ident:
				if v, ok := vars[s.pass.TypesInfo.Uses[x]]; ok {
					hazard, container, sinkNode = v.call, v.container, ret
				}
			case *ast.CallExpr:
				if c, ok := s.guardedSeq(x, h); ok {
					hazard, container = x, c
				}
			case *ast.FuncLit:
				if s.returnsSeq(i, len(ret.Results)) && mentions(x.Body, h.guards) && !s.locksInside(x, h) {
					s.findings = append(s.findings, finding{
						kind:   kindSeqAfterUnlock,
						hazard: x,
						sink:   deferStmt,
						message: fmt.Sprintf("the iterator returned here reads state guarded by %s, but the deferred %s.%s runs before the caller ranges it: "+
							"the state is read without the lock; lock inside the iterator or return a copy",
							h.name, h.name, h.unlock),
						sinkNote: fmt.Sprintf("%s.%s runs when the function returns, before the iterator is used", h.name, h.unlock),
					})
				}
				continue
			}
			if hazard == nil {
				continue
			}
			s.findings = append(s.findings, finding{
				kind:   kindSeqAfterUnlock,
				hazard: hazard,
				sink:   sinkNode,
				message: fmt.Sprintf("%s from %s is created while %s is held and returned, but the deferred %s.%s runs before the caller ranges it: "+
					"%s is read without the lock; return slices.Collect(%s) or a copy instead",
					seqName(s.pass.TypesInfo.TypeOf(hazard)), render(hazard), h.name, h.name, h.unlock, container, render(hazard)),
				sinkNote: fmt.Sprintf("returned here; %s.%s runs before the caller ranges the iterator", h.name, h.unlock),
			})
		}
	})
}

// returnsSeq reports whether result i of the scanned function is an
// iter.Seq or iter.Seq2.
func (s *lockScan) returnsSeq(i, n int) bool {
	if s.sig == nil || s.sig.Results().Len() != n {
		return false
	}
	return isSeqType(s.sig.Results().At(i).Type())
}

// locksInside reports whether the function literal takes the same mutex
// itself, which makes the returned iterator safe.
func (s *lockScan) locksInside(lit *ast.FuncLit, h held) bool {
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if st, ok := n.(ast.Stmt); ok && !found {
			if other, ok := s.lockStmt(st); ok && other.name == h.name {
				found = true
			}
		}
		return !found
	})
	return found
}
