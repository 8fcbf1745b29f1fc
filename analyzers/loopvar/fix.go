package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// suggest attaches the per-iteration copy to a finding, or says why there
// is none. Every finding on one loop gets the same fix: a copy of each
// loop variable the body uses, so the fixes agree and one round suffices.
func suggest(pass *analysis.Pass, f *finding, d *analysis.Diagnostic) {
	if !rewrite.Wanted(pass) {
		return
	}
	var vars []*ast.Ident
	var body *ast.BlockStmt
	switch l := f.loop.(type) {
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{l.Key, l.Value} {
			if id, ok := e.(*ast.Ident); ok && id.Name != "_" && l.Tok == token.DEFINE {
				vars = append(vars, id)
			}
		}
		body = l.Body
	case *ast.ForStmt:
		if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, e := range as.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					vars = append(vars, id)
				}
			}
		}
		body = l.Body
		for _, v := range vars {
			if assigned(pass.TypesInfo, body, pass.TypesInfo.Defs[v]) {
				d.Related = append(d.Related, rewrite.NoFix(f.loop.Pos(),
					"the body assigns "+v.Name+", so a copy would hide the change from the loop's post statement"))
				return
			}
		}
	}
	var names []string
	for _, v := range vars {
		if obj := pass.TypesInfo.Defs[v]; obj != nil && used(pass.TypesInfo, body, obj) {
			names = append(names, v.Name)
		}
	}
	fix, err := copyPerIterationFix(pass, f.loop, names)
	if err != nil {
		d.Related = append(d.Related, rewrite.NoFix(f.loop.Pos(), err.Error()))
		return
	}
	d.SuggestedFixes = []analysis.SuggestedFix{fix}
}

func used(info *types.Info, body *ast.BlockStmt, obj types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// assigned reports whether body assigns obj or increments it.
func assigned(info *types.Info, body *ast.BlockStmt, obj types.Object) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == obj
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || is(l)
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		}
		return !found
	})
	return found
}
