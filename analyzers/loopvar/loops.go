// This file finds the loops whose variables change meaning at go1.22 and
// the uses of each variable that leave an iteration.

package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// usesIn returns the uses of local variables inside the top-level
// declaration decl.
func (c *checker) usesIn(decl inspector.Cursor) map[*types.Var][]inspector.Cursor {
	if m, ok := c.index[decl.Node()]; ok {
		return m
	}
	m := make(map[*types.Var][]inspector.Cursor)
	for ic := range decl.Preorder((*ast.Ident)(nil)) {
		if v, ok := c.info.Uses[ic.Node().(*ast.Ident)].(*types.Var); ok && !v.IsField() {
			m[v] = append(m[v], ic)
		}
	}
	c.index[decl.Node()] = m
	return m
}

// topDecl returns the top-level declaration enclosing cur.
func topDecl(cur inspector.Cursor) inspector.Cursor {
	for {
		if cur.ParentEdgeKind() == edge.File_Decls {
			return cur
		}
		cur = cur.Parent()
	}
}

// fileVersion returns the language version of file and whether it comes
// from the file's own //go:build constraint; "" means unknown.
func fileVersion(pass *analysis.Pass, file *ast.File) (string, bool) {
	v := pass.TypesInfo.FileVersions[file]
	if v == "" {
		v = pass.Pkg.GoVersion()
	}
	if v == "" || !version.IsValid(v) {
		return "", false
	}
	return version.Lang(v), file.GoVersion != ""
}

// findings returns the escaping loop variables of the files that still
// have per-loop semantics.
func (c *checker) findings() []*finding {
	var out []*finding
	for fc := range c.root.Children() {
		file := fc.Node().(*ast.File)
		v, fromTag := fileVersion(c.pass, file)
		if v == "" || version.Compare(v, newSemantics) >= 0 {
			continue
		}
		for lc := range fc.Preorder((*ast.RangeStmt)(nil), (*ast.ForStmt)(nil)) {
			for _, f := range c.checkLoop(lc) {
				f.version, f.fromTag = v, fromTag
				out = append(out, f)
			}
		}
	}
	return out
}

// loopVars returns the identifiers a loop statement declares.
func loopVars(loop ast.Stmt) []*ast.Ident {
	var ids []*ast.Ident
	add := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			ids = append(ids, id)
		}
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Tok == token.DEFINE {
			add(l.Key)
			add(l.Value)
		}
	case *ast.ForStmt:
		if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, e := range as.Lhs {
				add(e)
			}
		}
	}
	return ids
}

// loopBody returns the body of a loop statement.
func loopBody(loop ast.Stmt) *ast.BlockStmt {
	if r, ok := loop.(*ast.RangeStmt); ok {
		return r.Body
	}
	return loop.(*ast.ForStmt).Body
}

// checkLoop returns the references to loop's variables that leave an
// iteration: first the escaping func literals, then the addresses taken
// outside them.
func (c *checker) checkLoop(lc inspector.Cursor) []*finding {
	loop := lc.Node().(ast.Stmt)
	ids := loopVars(loop)
	if len(ids) == 0 {
		return nil
	}
	bodyC, ok := lc.FindNode(loopBody(loop))
	if !ok {
		return nil
	}
	var fnC inspector.Cursor
	for fc := range lc.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		fnC = fc
		break
	}
	if !fnC.Valid() {
		return nil
	}
	r := newRegion(c, loopMode, bodyC, c.usesIn(topDecl(lc)))
	r.loop, r.loopC, r.fn = loop, lc, fnC.Node()
	declOf := make(map[*types.Var]*ast.Ident)
	var vars []*types.Var
	for _, id := range ids {
		if v, ok := c.info.Defs[id].(*types.Var); ok {
			r.loopVars[v] = true
			declOf[v] = id
			vars = append(vars, v)
		}
	}

	// Func literals capturing loop variables, outermost first.
	type capture struct {
		vars []*types.Var
		uses []*ast.Ident
		cur  inspector.Cursor
	}
	lits := make(map[*ast.FuncLit]*capture)
	var order []*ast.FuncLit
	for _, v := range vars {
		for _, u := range r.uses[v] {
			if !r.inBody(u.Node()) {
				continue
			}
			for lcur := range u.Enclosing((*ast.FuncLit)(nil)) {
				lit := lcur.Node().(*ast.FuncLit)
				if lit.Pos() < loop.Pos() {
					break
				}
				cp := lits[lit]
				if cp == nil {
					cp = &capture{cur: lcur}
					lits[lit] = cp
					order = append(order, lit)
				}
				if len(cp.vars) == 0 || cp.vars[len(cp.vars)-1] != v {
					cp.vars = append(cp.vars, v)
				}
				cp.uses = append(cp.uses, u.Node().(*ast.Ident))
			}
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Pos() < order[j].Pos() })

	var out []*finding
	var reported []ast.Node
	within := func(n ast.Node) bool {
		for _, p := range reported {
			if p.Pos() <= n.Pos() && n.End() <= p.End() {
				return true
			}
		}
		return false
	}
	decls := func(vs []*types.Var) []*ast.Ident {
		var out []*ast.Ident
		for _, v := range vs {
			out = append(out, declOf[v])
		}
		return out
	}
	for _, lit := range order {
		if within(lit) {
			continue
		}
		cp := lits[lit]
		e := r.follow(cp.cur, false, false, cp.uses)
		if e == nil {
			continue
		}
		use, vs := cp.uses[0], cp.vars
		if uv, ok := c.info.Uses[e.use].(*types.Var); ok && r.loopVars[uv] {
			use, vs = e.use, []*types.Var{uv}
		}
		out = append(out, &finding{pass: c.pass, loop: loop, decls: decls(vs), origin: lit, okind: originClosure, use: use, esc: e})
		reported = append(reported, lit)
	}
	for _, v := range vars {
		for _, u := range r.uses[v] {
			if !r.inBody(u.Node()) || within(u.Node()) {
				continue
			}
			oc, kind := r.addrOrigin(u)
			if kind == 0 {
				continue
			}
			var e *escape
			if kind == originMethod {
				e = r.methodOrigin(oc)
			} else {
				e = r.follow(oc, true, false, nil)
			}
			if e == nil {
				continue
			}
			out = append(out, &finding{pass: c.pass, loop: loop, decls: decls([]*types.Var{v}), origin: oc.Node(), okind: kind, use: u.Node().(*ast.Ident), esc: e})
		}
	}
	return out
}

// addrOrigin returns the expression that takes the address of the loop
// variable used at u (directly or through value fields and array
// elements), or kind 0 when u is just read.
func (r *region) addrOrigin(u inspector.Cursor) (inspector.Cursor, originKind) {
	cur := u
	for {
		p := cur.Parent()
		switch cur.ParentEdgeKind() {
		case edge.ParenExpr_X:
		case edge.SelectorExpr_X:
			s := r.c.info.Selections[p.Node().(*ast.SelectorExpr)]
			if s == nil || s.Indirect() {
				return cur, 0
			}
			switch s.Kind() {
			case types.FieldVal:
			case types.MethodVal:
				if ptrRecv(s.Obj()) && !isPointer(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
					return p, originMethod
				}
				return cur, 0
			default:
				return cur, 0
			}
		case edge.IndexExpr_X:
			if !isArray(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
				return cur, 0
			}
		case edge.UnaryExpr_X:
			if p.Node().(*ast.UnaryExpr).Op == token.AND {
				return p, originAddr
			}
			return cur, 0
		case edge.SliceExpr_X:
			if isArray(r.c.info.TypeOf(cur.Node().(ast.Expr))) {
				return p, originAddr
			}
			return cur, 0
		default:
			return cur, 0
		}
		cur = p
	}
}

// methodOrigin follows v.M where M has a pointer receiver: a call passes
// &v as the receiver, a method value keeps &v.
func (r *region) methodOrigin(selC inspector.Cursor) *escape {
	if selC.ParentEdgeKind() == edge.CallExpr_Fun {
		s := r.c.info.Selections[selC.Node().(*ast.SelectorExpr)]
		return r.callReceiver(selC.Parent(), s, true)
	}
	return r.follow(selC, false, false, nil)
}
