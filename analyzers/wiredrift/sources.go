// This file says where unstable bytes come from: gob, proto and json v2
// encodings of map-holding values, and the taint an expression carries.

package wiredrift

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/types/typeutil"
)

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
