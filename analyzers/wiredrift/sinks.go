// This file says where unstable bytes go: keys, hashes, comparisons,
// callees that sink them (summaries), and returns.

package wiredrift

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/types/typeutil"
)

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
			f.sink(o, sinkHash, "written into hash "+kit.ShortExpr(call.Args[0]), call, token.NoPos)
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
	callName := kit.ShortExpr(call.Fun)

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
					f.sink(o, sinkHash, "written into hash "+kit.ShortExpr(call.Args[0]), at, token.NoPos)
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
		f.sink(o, sinkHash, "written into hash "+kit.ShortExpr(w), call, token.NoPos)
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
