package godebug

import (
	"go/ast"
	"go/constant"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// detect runs the detectors of the settings that flip in w and returns
// their findings in source order per detector.
func detect(pass *analysis.Pass, insp *inspector.Inspector, w window) []finding {
	var out []finding
	if w.active("asynctimerchan") {
		out = append(out, timerChans(pass, insp)...)
	}
	if w.active("httpmuxgo121") {
		out = append(out, muxPatterns(pass, insp)...)
	}
	if w.active("panicnil") {
		out = append(out, panicNil(pass, insp)...)
	}
	if w.active("randseednop") {
		out = append(out, randSeed(pass, insp)...)
	}
	if w.active("gotypesalias") {
		out = append(out, typesAlias(pass, insp)...)
	}
	if w.active("tls10server") {
		out = append(out, tlsVersions(pass, insp)...)
	}
	if w.active("urlstrictcolons") {
		out = append(out, urlColons(pass, insp)...)
	}
	if w.active("containermaxprocs") || w.active("updatemaxprocs") {
		for _, f := range maxProcs(pass, insp) {
			if w.active(f.setting) {
				out = append(out, f)
			}
		}
	}
	if w.active("cryptocustomrand") || w.active("rsa1024min") {
		for _, f := range cryptoRand(pass, insp) {
			if w.active(f.setting) {
				out = append(out, f)
			}
		}
	}
	return out
}

// isBuiltin reports whether call calls the builtin function name.
func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// stringConst returns the value of e if it is a string constant.
func stringConst(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// intConst returns the value of e if it is an integer constant.
func intConst(info *types.Info, e ast.Expr) (int64, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(tv.Value)
}

// sameExpr reports whether a and b denote the same variable path, such as
// t and t, or s.timer and s.timer, resolving identifiers through info.
func sameExpr(info *types.Info, a, b ast.Expr) bool {
	a, b = ast.Unparen(a), ast.Unparen(b)
	switch a := a.(type) {
	case *ast.Ident:
		b, ok := b.(*ast.Ident)
		return ok && a.Name == b.Name && info.ObjectOf(a) == info.ObjectOf(b) && info.ObjectOf(a) != nil
	case *ast.SelectorExpr:
		b, ok := b.(*ast.SelectorExpr)
		return ok && a.Sel.Name == b.Sel.Name && info.ObjectOf(a.Sel) == info.ObjectOf(b.Sel) && sameExpr(info, a.X, b.X)
	case *ast.StarExpr:
		b, ok := b.(*ast.StarExpr)
		return ok && sameExpr(info, a.X, b.X)
	case *ast.IndexExpr:
		b, ok := b.(*ast.IndexExpr)
		if !ok || !sameExpr(info, a.X, b.X) {
			return false
		}
		if sameExpr(info, a.Index, b.Index) {
			return true
		}
		ia, oka := intConst(info, a.Index)
		ib, okb := intConst(info, b.Index)
		return oka && okb && ia == ib
	}
	return false
}

// enclosingFunc returns the body of the innermost function around cur, or
// nil at package level.
func enclosingFunc(cur inspector.Cursor) *ast.BlockStmt {
	_, _, body, _ := kit.EnclosingFunc(cur)
	return body
}
