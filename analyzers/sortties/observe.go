package sortties

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// observed reports how the order of the slice held by v, sorted before
// after, is observed after it in body: returned (itself, or inside the
// value a call or composite literal builds from it), passed to an ordered
// sink, stored outside the function's locals, or ranged over by a loop
// that prints or writes.
func observed(info *types.Info, body *ast.BlockStmt, v *types.Var, after token.Pos) (how string, ok bool) {
	if v == nil {
		return "", false
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, isID := n.(*ast.Ident); isID && info.Uses[id] == v {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if ok || n == nil {
			return false
		}
		if n.End() <= after {
			return n.Pos() < after // descend only into nodes that may hold later code
		}
		if _, isLit := n.(*ast.FuncLit); isLit && n.Pos() < after {
			return true
		}
		switch x := n.(type) {
		case *ast.ReturnStmt:
			if x.Pos() > after && returnsWhole(info, x, v) {
				how, ok = "the sorted slice is returned", true
			} else if x.Pos() > after && returnsWrapped(info, x, v) {
				how, ok = "the sorted slice is returned inside the result", true
			}
		case *ast.CallExpr:
			if x.Pos() > after {
				if h, sink := sinkCall(info, x, mentions); sink {
					how, ok = h, true
				}
			}
		case *ast.AssignStmt:
			if x.Pos() > after && x.Tok == token.ASSIGN {
				for i, lhs := range x.Lhs {
					if i < len(x.Rhs) && len(x.Lhs) == len(x.Rhs) && escapesTo(info, lhs, body) && mentions(x.Rhs[i]) {
						how, ok = "the sorted slice is stored", true
					}
				}
			}
		case *ast.RangeStmt:
			if x.Pos() > after && mentions(x.X) && printsIn(info, x.Body) {
				how, ok = "a loop over the sorted slice prints or writes", true
			}
		}
		return !ok
	})
	return how, ok
}

// escapesTo reports whether assigning to lhs stores outside the locals of
// body: a field, an element, a dereference or a package-level variable.
func escapesTo(info *types.Info, lhs ast.Expr, body *ast.BlockStmt) bool {
	r := kit.RootOf(info, lhs)
	if r.Var == nil {
		return false
	}
	if r.Indirect {
		return true
	}
	local := r.Var.Pos() >= body.Pos() && r.Var.Pos() < body.End()
	_, isIdent := ast.Unparen(lhs).(*ast.Ident)
	return !local && isIdent && r.Var.Parent() == r.Var.Pkg().Scope()
}

// sinkCall reports whether call passes something mentioning the sorted
// slice to a call where its order becomes output: printing, joining,
// encoding, writing, hashing, comparing.
func sinkCall(info *types.Info, call *ast.CallExpr, mentions func(ast.Node) bool) (string, bool) {
	fn := kit.Callee(info, call)
	if fn == nil {
		return "", false
	}
	from := -1
	how := ""
	if i, ok := kit.PrintfFormat(fn); ok {
		from, how = i+1, "it is printed"
	} else if i, ok := kit.PrintOperands(fn); ok {
		from, how = i, "it is printed"
	} else if i, ok := kit.EqualityCall(fn); ok {
		from, how = i, "it is compared"
	} else if kit.IsPkgFunc(fn, "strings", "Join") || kit.IsPkgFunc(fn, "bytes", "Join") {
		from, how = 0, "it is joined"
	} else if kit.IsEncoding(fn) {
		from, how = 0, "it is encoded"
	} else if isWrite(info, call, fn) {
		from, how = 0, "it is written"
	}
	if from < 0 {
		return "", false
	}
	for _, a := range call.Args[min(from, len(call.Args)):] {
		if mentions(a) {
			return how, true
		}
	}
	return "", false
}

// isWrite reports whether call is a Write/WriteString method call on a
// writer or hash.
func isWrite(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !kit.IsWriteMethod(fn.Name()) {
		return false
	}
	t := info.TypeOf(sel.X)
	return t != nil && (kit.IsWriter(t) || kit.IsHash(t))
}

// printsIn reports whether body calls a print, write or encode function.
func printsIn(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fn := kit.Callee(info, call)
		if fn == nil {
			return true
		}
		if _, ok := kit.PrintfFormat(fn); ok {
			found = true
		} else if _, ok := kit.PrintOperands(fn); ok {
			found = true
		} else if kit.IsEncoding(fn) || isWrite(info, call, fn) {
			found = true
		}
		return !found
	})
	return found
}

// returnsWhole reports whether ret returns v itself or a slice of it, not
// just something computed from it (out[0].Name, len(out)).
func returnsWhole(info *types.Info, ret *ast.ReturnStmt, v *types.Var) bool {
	for _, r := range ret.Results {
		e := ast.Unparen(r)
		if s, ok := e.(*ast.SliceExpr); ok {
			e = ast.Unparen(s.X)
		}
		if id, ok := e.(*ast.Ident); ok && info.Uses[id] == v {
			return true
		}
	}
	return false
}

// uses reports whether e refers to obj.
func uses(info *types.Info, e ast.Expr, obj types.Object) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// returnsWrapped reports whether ret returns a value built around v: a
// composite literal holding it (Response{Items: v}), or the result of a
// call that takes v and whose result is a struct with a field of v's type
// (NewOK().WithPayload(v)), where v plainly ends up.
func returnsWrapped(info *types.Info, ret *ast.ReturnStmt, v *types.Var) bool {
	isV := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	found := false
	for _, r := range ret.Results {
		ast.Inspect(r, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CompositeLit:
				for _, el := range x.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						el = kv.Value
					}
					if isV(el) {
						found = true
					}
				}
			case *ast.CallExpr:
				if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
					return true
				}
				for _, a := range x.Args {
					if isV(a) && holdsField(info.TypeOf(x), v.Type()) {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
}

// holdsField reports whether t (or what it points to) is a struct with a
// field of type field.
func holdsField(t, field types.Type) bool {
	if t == nil {
		return false
	}
	st, ok := kit.Deref(t).Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		if types.Identical(st.Field(i).Type(), field) {
			return true
		}
	}
	return false
}
