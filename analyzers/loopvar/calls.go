// This file decides what a call does with an alias handed to it: keeps it,
// runs it later, returns it, or lets it go (summaries and known callees).

package loopvar

import (
	"go/ast"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

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
	return kit.ShortExpr(callC.Node().(*ast.CallExpr).Fun)
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
