package godebug

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// timerChans finds code that depends on Timer and Ticker channels being
// buffered (asynctimerchan=1, before go1.23):
//
//   - a blocking receive from t.C guarded by !t.Stop() or !t.Reset(d): with
//     synchronous channels Stop returns false only when the value was already
//     received (an expired, unreceived timer is stopped and its value
//     dropped), so the drain can never succeed and blocks forever (after
//     Reset it waits for the new expiry and swallows it). The old idiom was
//     correct only with buffered channels;
//   - len(t.C) and cap(t.C), which are always 0 with synchronous channels.
//
// Non-blocking drains (select with a default case) are fine under both
// semantics and are not reported.
func timerChans(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.IfStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.IfStmt:
			call, timer := timerGuard(info, cur, n)
			if call == nil {
				continue
			}
			recv := blockingReceive(info, n.Body, timer)
			if recv == nil {
				continue
			}
			method := call.Fun.(*ast.SelectorExpr).Sel.Name
			name := types.ExprString(timer)
			f := finding{
				setting: "asynctimerchan",
				node:    recv,
				related: call,
				relMsg:  fmt.Sprintf("%s.%s() result tested here", name, method),
				fix:     "drain with a select that has a default case",
				drain:   drainStmt(n.Body, recv),
			}
			if f.drain == nil {
				f.noFix = "the drain is nested or its value is used: make it a select with a default case by hand"
			}
			if method == "Stop" {
				f.what = fmt.Sprintf("<-%s.C after %s.Stop() returned false blocks forever under Go 1.23 timers: Stop now returns false only once the value has been received, so this drain can never succeed", name, name)
			} else {
				f.what = fmt.Sprintf("<-%s.C after %s.Reset() returned false no longer drains a stale value under Go 1.23 timers: it waits for the new expiry and swallows it", name, name)
			}
			out = append(out, f)
		case *ast.CallExpr:
			if len(n.Args) != 1 || !(isBuiltin(info, n, "len") || isBuiltin(info, n, "cap")) {
				continue
			}
			sel, ok := ast.Unparen(n.Args[0]).(*ast.SelectorExpr)
			if !ok || !isTimeChanField(info, sel) {
				continue
			}
			fn := ast.Unparen(n.Fun).(*ast.Ident).Name
			out = append(out, finding{
				setting: "asynctimerchan",
				node:    n,
				what:    fmt.Sprintf("%s(%s) is always 0 under Go 1.23 timers, whose channels are unbuffered, so this check never sees a pending tick", fn, types.ExprString(sel)),
				fix:     "receive with a select that has a default case instead of testing the length",
				noFix:   "what replaces the length test depends on the code it guards",
			})
		}
	}
	return out
}

// drainStmt returns the statement of body that is the blocking drain recv
// (the receive as a statement, or the select itself), or nil when the
// receive is nested or its value is used.
func drainStmt(body *ast.BlockStmt, recv ast.Node) ast.Stmt {
	for _, s := range body.List {
		switch s := s.(type) {
		case *ast.ExprStmt:
			if ast.Unparen(s.X) == recv {
				return s
			}
		case *ast.SelectStmt:
			if s == recv {
				return s
			}
		}
	}
	return nil
}

// timerGuard matches the condition of "if !t.Stop() { ... }" (also
// "if !t.Reset(d)", "if ok := t.Stop(); !ok" and "ok := t.Stop(); if !ok")
// and returns the Stop or Reset call and the timer expression.
func timerGuard(info *types.Info, cur inspector.Cursor, ifs *ast.IfStmt) (*ast.CallExpr, ast.Expr) {
	not, ok := ast.Unparen(ifs.Cond).(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return nil, nil
	}
	switch x := ast.Unparen(not.X).(type) {
	case *ast.CallExpr:
		return timerStopCall(info, x)
	case *ast.Ident:
		obj := info.Uses[x]
		if obj == nil {
			return nil, nil
		}
		// The result may be stored in the if's init or in the statement
		// just before the if.
		stmts := []ast.Stmt{ifs.Init}
		if prev, ok := cur.PrevSibling(); ok {
			if s, ok := prev.Node().(ast.Stmt); ok {
				stmts = append(stmts, s)
			}
		}
		for _, s := range stmts {
			as, ok := s.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
				continue
			}
			lhs, ok := as.Lhs[0].(*ast.Ident)
			if !ok || info.ObjectOf(lhs) != obj {
				continue
			}
			if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
				return timerStopCall(info, call)
			}
		}
	}
	return nil, nil
}

// timerStopCall returns call and its receiver if call is t.Stop() or
// t.Reset(d) on a *time.Timer.
func timerStopCall(info *types.Info, call *ast.CallExpr) (*ast.CallExpr, ast.Expr) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	if !kit.IsMethod(kit.Callee(info, call), "time", "Timer", "Stop", "Reset") {
		return nil, nil
	}
	return call, sel.X
}

// isTimeChanField reports whether sel selects the C field of a time.Timer or
// time.Ticker (the only exported fields named C in package time).
func isTimeChanField(info *types.Info, sel *ast.SelectorExpr) bool {
	v, ok := info.ObjectOf(sel.Sel).(*types.Var)
	return ok && v.IsField() && v.Name() == "C" && v.Pkg() != nil && v.Pkg().Path() == "time"
}

// blockingReceive returns the first receive from timer.C in body that blocks:
// a receive expression outside any select, or a select without a default
// case whose every case receives from timer.C. Function literals are not
// entered: they run later, if at all.
func blockingReceive(info *types.Info, body *ast.BlockStmt, timer ast.Expr) ast.Node {
	isTimerC := func(e ast.Expr) bool {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		return ok && isTimeChanField(info, sel) && sameExpr(info, sel.X, timer)
	}
	var found ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			onlyTimer := len(n.Body.List) > 0
			for _, s := range n.Body.List {
				cc := s.(*ast.CommClause)
				if cc.Comm == nil || !isTimerC(commReceive(cc.Comm)) {
					onlyTimer = false // a default case, or another way out
				}
			}
			if onlyTimer {
				found = n
			}
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && isTimerC(n.X) {
				found = n
				return false
			}
		}
		return true
	})
	return found
}

// commReceive returns the channel operand of a select case's receive, or nil.
func commReceive(s ast.Stmt) ast.Expr {
	var e ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		e = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}
