package godebug

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// typesAlias finds type assertions and type switches that expect a
// *types.Named from a go/types.Type value that may now be a *types.Alias
// (gotypesalias=1 from go1.23): the assertion fails (or panics, without
// comma-ok) for every type declared through an alias, including "any".
//
// Not reported: operands that went through Unalias (types.Unalias or any
// function named Unalias) or Underlying() (never an alias), type switches
// with a *types.Alias case, functions that are visibly alias-aware (they use
// the go/types alias API or mention aliases in a comment: the filter is then
// deliberate), the type of a declaration looked up by a constant name
// (scope.Lookup("Value").Type()), and _test.go files. Assertions to other concrete types (*types.Basic,
// *types.Pointer...) can fail the same way but are usually written on
// Underlying(); they are left out to keep the check quiet.
func typesAlias(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.TypeAssertExpr)(nil)) {
		ta := cur.Node().(*ast.TypeAssertExpr)
		if !isTypesType(info, ta.X) || isTestFile(pass, ta) {
			continue
		}
		if ta.Type == nil {
			// x.(type): look at the switch's cases.
			sw, ok := typeSwitchOf(cur)
			if !ok || switchHasAlias(info, sw) || aliasAware(pass, cur, ta.X, ta.Pos()) {
				continue
			}
			for _, s := range sw.Body.List {
				cc := s.(*ast.CaseClause)
				if unreachable(info, cc) {
					continue
				}
				for _, e := range cc.List {
					if isNamedPtr(info, e) {
						out = append(out, aliasFinding(ta.X, e,
							"case *types.Named no longer matches types declared through an alias from go1.23, where go/types returns *types.Alias: they fall through to the other cases"))
					}
				}
			}
			continue
		}
		if !isNamedPtr(info, ta.Type) || aliasAware(pass, cur, ta.X, ta.Pos()) {
			continue
		}
		consequence := "panics"
		if isCommaOk(cur) {
			consequence = "is false (so the type is silently skipped)"
		}
		out = append(out, aliasFinding(ta.X, ta, fmt.Sprintf(
			"%s %s for types declared through an alias from go1.23, where go/types returns *types.Alias (for any, too)",
			types.ExprString(ta), consequence)))
	}
	return out
}

func aliasFinding(x ast.Expr, node ast.Node, what string) finding {
	return finding{
		setting: "gotypesalias",
		node:    node,
		what:    what,
		fix:     fmt.Sprintf("assert on types.Unalias(%s)", types.ExprString(x)),
	}
}

// isCommaOk reports whether the assertion at cur is the v, ok := x.(T) form.
func isCommaOk(cur inspector.Cursor) bool {
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		return len(p.Lhs) == 2 && len(p.Rhs) == 1
	case *ast.ValueSpec:
		return len(p.Names) == 2 && len(p.Values) == 1
	}
	return false
}

// isTestFile reports whether n is in a _test.go file. Tests assert on types
// of fixed fixture sources, and a wrong assertion fails the test itself at
// the go line bump, so they are not reported.
func isTestFile(pass *analysis.Pass, n ast.Node) bool {
	return strings.HasSuffix(pass.Fset.File(n.Pos()).Name(), "_test.go")
}

// aliasAware reports whether the code around an assertion on x handles
// aliases: x is unaliased before pos (see unaliased), or the enclosing
// function declaration uses the alias API of go/types (Alias, Unalias,
// IsAlias...) or mentions aliases in a comment, as in
// "// Consider only named types (ignore aliases)".
func aliasAware(pass *analysis.Pass, cur inspector.Cursor, x ast.Expr, pos token.Pos) bool {
	if unaliased(pass.TypesInfo, enclosingFunc(cur), x, pos) || knownDecl(pass.TypesInfo, x) {
		return true
	}
	var decl *ast.FuncDecl
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		decl = c.Node().(*ast.FuncDecl)
	}
	if decl == nil {
		return false
	}
	start := decl.Pos()
	if decl.Doc != nil {
		start = decl.Doc.Pos()
	}
	for c := range cur.Enclosing((*ast.File)(nil)) {
		for _, group := range c.Node().(*ast.File).Comments {
			if group.End() < start || group.Pos() > decl.End() {
				continue
			}
			if strings.Contains(strings.ToLower(group.Text()), "alias") {
				return true
			}
		}
	}
	found := false
	ast.Inspect(decl, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			if obj := pass.TypesInfo.Uses[id]; obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "go/types" &&
				strings.Contains(strings.ToLower(obj.Name()), "alias") {
				found = true
			}
			if isAliasMethod(pass.TypesInfo.Uses[id]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// knownDecl reports whether x is scope.Lookup("Name").Type(): the type of
// one declaration picked by name, whose author knows whether it is an alias.
func knownDecl(info *types.Info, x ast.Expr) bool {
	typeCall, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok || len(typeCall.Args) != 0 {
		return false
	}
	sel, ok := ast.Unparen(typeCall.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Type" {
		return false
	}
	lookup, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || len(lookup.Args) != 1 || !kit.IsMethod(kit.Callee(info, lookup), "go/types", "Scope", "Lookup") {
		return false
	}
	_, isConst := stringConst(info, lookup.Args[0])
	return isConst
}

// isAliasMethod reports whether obj is a method of *types.Alias.
func isAliasMethod(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	return ok && kit.IsMethod(fn, "go/types", "Alias", fn.Name())
}

// unreachable reports whether a case clause only panics: its author
// asserts that the operand is never a *types.Named (it is, say, always an
// Underlying type), so the case says nothing about aliases.
func unreachable(info *types.Info, cc *ast.CaseClause) bool {
	if len(cc.Body) != 1 {
		return false
	}
	es, ok := cc.Body[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	return ok && isBuiltin(info, call, "panic")
}

// typeSwitchOf returns the type switch whose guard holds the x.(type) at cur.
func typeSwitchOf(cur inspector.Cursor) (*ast.TypeSwitchStmt, bool) {
	for c := range cur.Enclosing((*ast.TypeSwitchStmt)(nil)) {
		sw := c.Node().(*ast.TypeSwitchStmt)
		return sw, sw.Assign.Pos() <= cur.Node().Pos() && cur.Node().End() <= sw.Assign.End()
	}
	return nil, false
}

func switchHasAlias(info *types.Info, sw *ast.TypeSwitchStmt) bool {
	for _, s := range sw.Body.List {
		for _, e := range s.(*ast.CaseClause).List {
			if isTypesPtr(info, e, "Alias") {
				return true
			}
		}
	}
	return false
}

// isTypesType reports whether e has the static type go/types.Type.
func isTypesType(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	return t != nil && kit.IsNamedOrPtr(t, "go/types", "Type") && types.IsInterface(t)
}

func isNamedPtr(info *types.Info, e ast.Expr) bool { return isTypesPtr(info, e, "Named") }

// isTypesPtr reports whether the type expression e denotes *types.<name>.
func isTypesPtr(info *types.Info, e ast.Expr, name string) bool {
	t := info.TypeOf(e)
	p, ok := t.(*types.Pointer)
	return ok && kit.IsNamedOrPtr(p.Elem(), "go/types", name)
}

// unaliased reports whether x is known to hold no alias at pos: it is an
// Unalias or Underlying call, or the function assigned it from one, or
// tested it for *types.Alias, before pos.
func unaliased(info *types.Info, body *ast.BlockStmt, x ast.Expr, pos token.Pos) bool {
	if isUnaliasCall(info, x) {
		return true
	}
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if i < len(n.Rhs) && len(n.Lhs) == len(n.Rhs) && sameExpr(info, l, x) && isUnaliasCall(info, n.Rhs[i]) {
					found = true
				}
			}
		case *ast.TypeAssertExpr:
			if n.Type != nil && sameExpr(info, n.X, x) && isTypesPtr(info, n.Type, "Alias") {
				found = true
			}
		}
		return !found
	})
	return found
}

// isUnaliasCall reports whether e is a call that cannot return an alias:
// types.Unalias, a helper named Unalias (x/tools' aliases.Unalias), or the
// Underlying method.
func isUnaliasCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := kit.Callee(info, call)
	if fn == nil {
		return false
	}
	return strings.EqualFold(fn.Name(), "unalias") || fn.Name() == "Underlying"
}
