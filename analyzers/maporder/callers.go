package maporder

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// This file judges the order of an unexported function's result by what
// its callers do with it. Only this package can call an unexported
// function, so its callers are all in view: when every one of them sorts
// the result, turns it into a set, looks one element up or reduces it
// without regard to order, the map order it returns is never seen. The
// result's severity is the worst of what the callers do; a caller that
// returns the result in turn hands the question to its own callers, to a
// fixpoint (kit.Summaries, with the callers as the dependencies).

// resultSeverity returns how much the order of fn's results matters to
// its callers: sevNone when no caller lets it show.
func (c *checker) resultSeverity(fn *types.Func) severity {
	if c.results == nil {
		return sevMedium
	}
	if (token.IsExported(fn.Name()) && fn.Pkg().Name() != "main") || fn.Pkg() != c.pass.Pkg {
		return sevHigh
	}
	if !c.resultFns[fn.Origin()] {
		return sevMedium // not summarised: its result is no slice, say
	}
	// Zero (sevNone) while the callers are not computed yet: the
	// fixpoint grows it.
	sev, _ := c.results.Of(fn)
	return sev
}

// resultDecls returns the unexported functions of the package whose
// results can carry an order (a slice), with every reference to each.
func (c *checker) resultDecls() []kit.Decl {
	var out []kit.Decl
	for _, d := range kit.Decls(c.info, c.inspect) {
		if (token.IsExported(d.Fn.Name()) && c.pass.Pkg.Name() != "main") || d.Fn.Name() == "main" || d.Fn.Name() == "init" {
			continue
		}
		res := d.Fn.Signature().Results()
		for i := range res.Len() {
			switch res.At(i).Type().Underlying().(type) {
			case *types.Slice, *types.Struct:
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// solveResults computes the result severities of the package's unexported
// functions.
func (c *checker) solveResults() {
	decls := c.resultDecls()
	if len(decls) == 0 {
		return
	}
	wanted := make(map[*types.Func]bool, len(decls))
	for _, d := range decls {
		wanted[d.Fn] = true
	}
	c.resultFns = wanted
	c.refs = make(map[*types.Func][]inspector.Cursor)
	for cur := range c.inspect.Root().Preorder((*ast.Ident)(nil)) {
		if fn, ok := c.info.Uses[cur.Node().(*ast.Ident)].(*types.Func); ok && wanted[fn.Origin()] {
			c.refs[fn.Origin()] = append(c.refs[fn.Origin()], cur)
		}
	}
	c.results = &kit.Summaries[severity]{
		Compute: c.callersSeverity,
		Equal:   func(a, b severity) bool { return a == b },
	}
	c.results.Solve(c.pass.Pkg, decls)
}

// callersSeverity is the worst thing a caller of d does with the order of
// its results.
func (c *checker) callersSeverity(d kit.Decl) severity {
	if len(c.refs[d.Fn]) == 0 {
		// No caller in view: dead code, or called from code not
		// compiled with this package (its tests, a build tag): the
		// result is judged as values handed on.
		return sevMedium
	}
	worst := sevNone
	for _, ref := range c.refs[d.Fn] {
		call, ok := callOf(ref)
		if !ok {
			// Used as a value (a callback, a method value): its
			// callers are out of sight.
			return sevMedium
		}
		for _, h := range c.followCall(call) {
			worst = max(worst, c.rank(h))
		}
		if worst == sevHigh {
			break
		}
	}
	return worst
}

// callOf returns the call whose function ref names: f(...) or x.f(...).
func callOf(ref inspector.Cursor) (inspector.Cursor, bool) {
	cur := ref
	if cur.ParentEdgeKind() == edge.SelectorExpr_Sel {
		cur = cur.Parent()
	}
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	if cur.ParentEdgeKind() != edge.CallExpr_Fun {
		return inspector.Cursor{}, false
	}
	return cur.Parent(), true
}

// followCall follows the results of a call through the caller, as
// followSource does for a collected slice. A call whose several results
// are assigned at once (keys, err := helper()) hands its order to each
// slice among them.
func (c *checker) followCall(call inspector.Cursor) []hit {
	fn, ok := outermostFunc(call)
	if !ok {
		return nil
	}
	f := c.newFollow(fn, call.Node().End(), 0)
	src := member{name: types.ExprString(call.Node().(ast.Expr))}
	end := call.Node().End()
	switch p := call.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && len(p.Lhs) > 1 && (p.Tok == token.ASSIGN || p.Tok == token.DEFINE) {
			for _, lhs := range p.Lhs {
				if c.isSlice(lhs) {
					f.apply(src, f.assignTo(call.Parent(), lhs, "", false, p), end)
				}
			}
			f.run()
			return f.hits
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && len(p.Names) > 1 {
			for _, name := range p.Names {
				if c.isSlice(name) {
					f.apply(src, f.assignTo(call.Parent(), name, "", false, p), end)
				}
			}
			f.run()
			return f.hits
		}
	}
	f.apply(src, f.classify(call), end)
	f.run()
	return f.hits
}
