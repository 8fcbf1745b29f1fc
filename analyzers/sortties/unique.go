package sortties

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// This file recognises comparisons on a unique key: a compared field whose
// value the code that builds the slice makes distinct, so two elements
// never tie. Only what the function building the slice shows counts; a
// field that is unique by convention (a Name, a Path) is not taken on
// trust.

// keyedSlice reports whether, in body, every append that builds the slice
// denoted by sorted sets one of the compared fields to a distinct value,
// and there is at least one such append. An append is keyed when, inside
// a range loop:
//
//   - over a map, the appended element sets the field from the map's key
//     (out = append(out, T{Name: k}), directly or through a local built
//     that way);
//   - over a map's values, every store into that map sets the field from
//     the key it stores under (m[k] = &T{Key: key(k)});
//   - the loop deduplicates on the field: it both stores into and reads
//     from a map indexed by the field (if _, ok := seen[r.Key]; ok {
//     continue }; seen[r.Key] = r).
func keyedSlice(info *types.Info, body *ast.BlockStmt, sorted ast.Expr, fields []string) bool {
	root := kit.RootOf(info, sorted).Var
	if root == nil {
		return false
	}
	want := types.ExprString(ast.Unparen(sorted))
	compared := map[string]bool{}
	for _, f := range fields {
		compared[f] = true
	}
	appends, keyed := 0, 0
	var loops []*ast.RangeStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return true
		}
		if rs, ok := n.(*ast.RangeStmt); ok {
			// Track the enclosing loops by position: Inspect gives no
			// parent pointers.
			loops = append(loops, rs)
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || !kit.IsBuiltin(info, call, "append") || len(call.Args) < 2 {
			return true
		}
		if types.ExprString(ast.Unparen(call.Args[0])) != want || kit.RootOf(info, call.Args[0]).Var != root {
			return true
		}
		appends++
		loop := innermost(loops, call)
		if loop == nil {
			return true
		}
		all := true
		for _, el := range call.Args[1:] {
			if !keyedElem(info, body, loop, el, compared) {
				all = false
			}
		}
		if all {
			keyed++
		}
		return true
	})
	return appends > 0 && keyed == appends
}

// innermost returns the range loop of loops that most closely encloses n.
func innermost(loops []*ast.RangeStmt, n ast.Node) *ast.RangeStmt {
	var best *ast.RangeStmt
	for _, rs := range loops {
		if rs.Body.Pos() <= n.Pos() && n.End() <= rs.Body.End() && (best == nil || rs.Pos() > best.Pos()) {
			best = rs
		}
	}
	return best
}

// keyedElem reports whether the appended element el, inside loop, has a
// compared field made distinct by one of keyedSlice's rules.
func keyedElem(info *types.Info, body *ast.BlockStmt, loop *ast.RangeStmt, el ast.Expr, compared map[string]bool) bool {
	el = stripAddr(el)
	if _, isMap := info.TypeOf(loop.X).Underlying().(*types.Map); isMap {
		if key := rangeVar(info, loop.Key); key != nil {
			if lit := literalOf(info, loop.Body, el); lit != nil && setsFrom(info, lit, compared, key) {
				return true
			}
		}
		if val := rangeVar(info, loop.Value); val != nil {
			if id, ok := el.(*ast.Ident); ok && info.Uses[id] == val && storesKeyed(info, body, loop.X, compared) {
				return true
			}
		}
	}
	return dedups(info, loop.Body, compared)
}

// rangeVar returns the variable a range clause declares, or nil.
func rangeVar(info *types.Info, e ast.Expr) types.Object {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	return info.Defs[id]
}

func stripAddr(e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		return ast.Unparen(u.X)
	}
	return e
}

// literalOf returns the composite literal e is, or that the local variable
// e was assigned from in scope (lf := T{...}; r = &T{...}), or nil.
func literalOf(info *types.Info, scope ast.Node, e ast.Expr) *ast.CompositeLit {
	e = stripAddr(e)
	if lit, ok := e.(*ast.CompositeLit); ok {
		return lit
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v := info.Uses[id]
	if v == nil {
		return nil
	}
	var lit *ast.CompositeLit
	ast.Inspect(scope, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || lit != nil || len(as.Lhs) != len(as.Rhs) {
			return lit == nil
		}
		for i, lhs := range as.Lhs {
			lid, ok := lhs.(*ast.Ident)
			if !ok || info.ObjectOf(lid) != v {
				continue
			}
			if l, ok := stripAddr(as.Rhs[i]).(*ast.CompositeLit); ok {
				lit = l
			}
		}
		return lit == nil
	})
	return lit
}

// setsFrom reports whether lit sets a compared field from an expression
// that uses key.
func setsFrom(info *types.Info, lit *ast.CompositeLit, compared map[string]bool, key types.Object) bool {
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		name, ok := kv.Key.(*ast.Ident)
		if ok && compared[name.Name] && uses(info, kv.Value, key) {
			return true
		}
	}
	return false
}

// storesKeyed reports whether every store into the map m in body (m[k] =
// x) sets a compared field of x from k, with at least one store.
func storesKeyed(info *types.Info, body *ast.BlockStmt, m ast.Expr, compared map[string]bool) bool {
	mroot := kit.RootOf(info, m).Var
	want := types.ExprString(ast.Unparen(m))
	if mroot == nil {
		return false
	}
	stores, keyed := 0, 0
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, lhs := range as.Lhs {
			ix, ok := ast.Unparen(lhs).(*ast.IndexExpr)
			if !ok || types.ExprString(ast.Unparen(ix.X)) != want || kit.RootOf(info, ix.X).Var != mroot {
				continue
			}
			stores++
			kid, ok := ast.Unparen(ix.Index).(*ast.Ident)
			if !ok {
				continue
			}
			key := info.Uses[kid]
			if lit := literalOf(info, body, as.Rhs[i]); key != nil && lit != nil && setsFrom(info, lit, compared, key) {
				keyed++
			}
		}
		return true
	})
	return stores > 0 && keyed == stores
}

// dedups reports whether loop stores into a map under a compared field of
// some value (seen[r.Key] = ...) and reads the same map under the same
// field: the loop skips repeated keys.
func dedups(info *types.Info, loop *ast.BlockStmt, compared map[string]bool) bool {
	type mapKey struct{ m, key string }
	written := map[mapKey]bool{}
	read := map[mapKey]bool{}
	var visit func(n ast.Node, lhs bool)
	visit = func(n ast.Node, lhs bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				for _, l := range x.Lhs {
					visit(l, true)
				}
				for _, r := range x.Rhs {
					visit(r, false)
				}
				return false
			case *ast.IndexExpr:
				if _, isMap := info.TypeOf(x.X).Underlying().(*types.Map); !isMap {
					return true
				}
				sel, ok := ast.Unparen(x.Index).(*ast.SelectorExpr)
				if !ok || !compared[sel.Sel.Name] {
					return true
				}
				k := mapKey{types.ExprString(x.X), sel.Sel.Name}
				if lhs {
					written[k] = true
				} else {
					read[k] = true
				}
			}
			return true
		})
	}
	visit(loop, false)
	for k := range written {
		if read[k] {
			return true
		}
	}
	return false
}
