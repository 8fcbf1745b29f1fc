// Package kit is the shared analysis kit under every upshift analyzer: the
// typed predicates (named types, functions, methods, callees, the root
// variable of an expression, parameter indexes) and the tables of sinks
// the analyzers share (hashes, comparisons, exits, printing, encoding,
// testify assertions). An analyzer asks the kit instead of keeping its own
// copy, so that two analyzers never disagree on what a hash or an exit is.
package kit

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Callee returns the function or method that call invokes, interface
// methods included; nil for builtins, conversions and function values.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// StaticCallee returns the function or concrete method that call invokes
// statically; nil also for interface method calls.
func StaticCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	return typeutil.StaticCallee(info, call)
}

// IsBuiltin reports whether call calls the builtin function name.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// Deref returns what t points to when t is a pointer (aliases resolved),
// and t otherwise.
func Deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// IsNamed reports whether t itself (aliases resolved, no pointer) is the
// named type path.name.
func IsNamed(t types.Type, path, name string) bool {
	if t == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == path
}

// IsNamedOrPtr reports whether t or what t points to is the named type
// path.name.
func IsNamedOrPtr(t types.Type, path, name string) bool {
	if t == nil {
		return false
	}
	return IsNamed(Deref(t), path, name)
}

// IsPkgFunc reports whether fn is the package-level function path.name for
// one of names.
func IsPkgFunc(fn *types.Func, path string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path || fn.Signature().Recv() != nil {
		return false
	}
	return slices.Contains(names, fn.Name())
}

// IsMethod reports whether fn is a method named one of names whose
// receiver is the named type path.typeName or a pointer to it. Interface
// methods count, typeName being the interface's name.
func IsMethod(fn *types.Func, path, typeName string, names ...string) bool {
	if fn == nil || !slices.Contains(names, fn.Name()) {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && IsNamedOrPtr(recv.Type(), path, typeName)
}

// RecvName returns the name of the named type of fn's receiver ("" for
// functions and for methods of unnamed types).
func RecvName(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	if n, ok := types.Unalias(Deref(recv.Type())).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// PkgPath returns the import path of fn's package, "" for universe
// functions.
func PkgPath(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	return fn.Pkg().Path()
}

// FuncKey renders fn as "path.Func" or "path.Type.Method", the keys of the
// kit's tables; "" for methods of unnamed types.
func FuncKey(fn *types.Func) string {
	name := fn.Name()
	if fn.Signature().Recv() != nil {
		r := RecvName(fn)
		if r == "" {
			return ""
		}
		name = r + "." + name
	}
	return PkgPath(fn) + "." + name
}

// ShortName names fn for messages: "pkg.Func" or "Type.Method".
func ShortName(fn *types.Func) string {
	if r := RecvName(fn); r != "" {
		return r + "." + fn.Name()
	}
	if fn.Pkg() != nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return fn.Name()
}

// CallName names the function a call invokes for messages: "pkg.Func",
// "Type.Method" after the type the method is called on (t.Errorf is
// T.Errorf, not the embedded common.Errorf), a builtin's name, or the call's
// function expression as written.
func CallName(info *types.Info, call *ast.CallExpr) string {
	switch obj := typeutil.Callee(info, call).(type) {
	case *types.Func:
		recv := obj.Signature().Recv()
		if recv == nil {
			return ShortName(obj)
		}
		t := recv.Type()
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
				t = s.Recv()
			}
		}
		if n, ok := types.Unalias(Deref(t)).(*types.Named); ok {
			return n.Obj().Name() + "." + obj.Name()
		}
		return types.ExprString(call.Fun)
	case *types.Builtin:
		return obj.Name()
	}
	return types.ExprString(call.Fun)
}

// ParamIndex maps argument idx of call to the index of the callee's
// parameter that receives it: the last one for variadic arguments, and -1
// for the receiver passed first to a method expression T.M(recv, ...).
func ParamIndex(info *types.Info, call *ast.CallExpr, fn *types.Func, idx int) int {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			idx--
		}
	}
	sig := fn.Signature()
	if n := sig.Params().Len(); sig.Variadic() && idx >= n-1 {
		idx = n - 1
	}
	return idx
}

// RootIdent strips selectors, index expressions, dereferences, parens and
// calls (c.shard(k).items still hangs off c) from e and returns the
// identifier it starts from, or nil.
func RootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		default:
			return nil
		}
	}
}

// Root is the variable at the root of a storage location such as
// s.items[i].name, and how the path from it reaches the location.
type Root struct {
	// Var is the root variable (a package-level variable for pkg.V), or
	// nil when the location does not start at a variable (f().x).
	Var *types.Var
	// Indexed is set when the path goes through an index expression.
	Indexed bool
	// Indirect is set when the path goes through a pointer, a slice or map
	// element, or a package-level variable: the location is outside the
	// root variable itself.
	Indirect bool
}

// RootOf returns the root of the location that e denotes.
func RootOf(info *types.Info, e ast.Expr) Root {
	var r Root
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			r.Var, _ = info.ObjectOf(x).(*types.Var)
			return r
		case *ast.SelectorExpr:
			s := info.Selections[x]
			if s == nil { // pkg.Var
				r.Var, _ = info.Uses[x.Sel].(*types.Var)
				r.Indirect = true
				return r
			}
			if s.Indirect() {
				r.Indirect = true
			}
			e = x.X
		case *ast.IndexExpr:
			r.Indexed = true
			if t := info.TypeOf(x.X); t == nil {
				r.Indirect = true
			} else if _, array := t.Underlying().(*types.Array); !array {
				r.Indirect = true
			}
			e = x.X
		case *ast.StarExpr:
			r.Indirect = true
			e = x.X
		default:
			r.Var, r.Indirect = nil, true
			return r
		}
	}
}

// ShortExpr renders an expression for a message, eliding long ones.
func ShortExpr(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// EnclosingFunc returns the innermost function declaration or literal
// around cur: its cursor, signature and body (nil for a declaration
// without one). ok is false at package level.
func EnclosingFunc(cur inspector.Cursor) (fn inspector.Cursor, typ *ast.FuncType, body *ast.BlockStmt, ok bool) {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			return c, n.Type, n.Body, true
		case *ast.FuncLit:
			return c, n.Type, n.Body, true
		}
	}
	return inspector.Cursor{}, nil, nil, false
}
