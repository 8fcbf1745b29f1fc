package godebug

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// localGeneratorFix replaces a reseed of the global math/rand source, which
// is a no-op from go1.24 (randseednop), with a local generator that the
// function's later draws use:
//
//	rand.Seed(cfg.Seed)            rng := rand.New(rand.NewSource(cfg.Seed))
//	x := rand.Intn(100)      =>    x := rng.Intn(100)
//
// A source made by rand.NewSource(seed) gives the sequence the seeded
// global source gave, before and after go1.24. The rewrite applies when
// the seed call is a statement, the draws that follow it in its block are
// calls of package functions that *rand.Rand also has, none of them is
// inside a function literal (a *rand.Rand is not safe for concurrent use),
// and no other function of the package draws from the global source
// (it would no longer see the seeded sequence). The tier is behavior:
// other packages drawing from the global source lose the seeded sequence
// under the old go line.
func localGeneratorFix(pass *analysis.Pass, seed *ast.CallExpr) (analysis.SuggestedFix, error) {
	site, err := findSeedSite(pass, seed)
	if err != nil {
		return analysis.SuggestedFix{}, err
	}
	draws, err := newGlobalDraws(pass.TypesInfo, seed)
	if err != nil {
		return analysis.SuggestedFix{}, err
	}
	if err := draws.noneElsewhere(pass, site.fn); err != nil {
		return analysis.SuggestedFix{}, err
	}
	later, err := draws.after(site)
	if err != nil {
		return analysis.SuggestedFix{}, err
	}
	name := rewrite.FreshName(site.fn, "rng", "random", "seeded")
	msg := "draw from a local generator, " + name + " := " + site.pkgName + ".New(" + site.pkgName + ".NewSource(seed))"
	return rewrite.Fix(pass, seed.Pos(), tier.Behavior, msg, func(f *rewrite.File) error {
		return site.edit(f, name, later)
	})
}

// seedSite is where a rand.Seed statement stands.
type seedSite struct {
	stmt    *ast.ExprStmt  // rand.Seed(...)
	block   *ast.BlockStmt // the block holding it
	fn      ast.Node       // the innermost function around it
	pkgName string         // the name math/rand is imported under
}

// findSeedSite places the seed call: a statement of a block of a function,
// calling rand.Seed through the package name.
func findSeedSite(pass *analysis.Pass, seed *ast.CallExpr) (seedSite, error) {
	var site seedSite
	file := rewrite.FileOf(pass, seed)
	if file == nil {
		return site, fmt.Errorf("the call is not in a file of the package")
	}
	path, _ := astutil.PathEnclosingInterval(file, seed.Pos(), seed.End())
	for i, n := range path {
		if es, ok := n.(*ast.ExprStmt); ok && es.X == seed && i+1 < len(path) {
			site.stmt = es
			site.block, _ = path[i+1].(*ast.BlockStmt)
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if site.fn == nil {
				site.fn = n
			}
		}
	}
	if site.stmt == nil || site.block == nil || site.fn == nil {
		return site, fmt.Errorf("rand.Seed is not a statement of a function body")
	}
	sel, ok := ast.Unparen(seed.Fun).(*ast.SelectorExpr)
	if !ok {
		return site, fmt.Errorf("rand.Seed is not called through its package name")
	}
	site.pkgName = types.ExprString(sel.X)
	return site, nil
}

// globalDraws finds draws from math/rand's global source: calls of its
// package functions that *rand.Rand also has as methods.
type globalDraws struct {
	info     *types.Info
	randPkg  *types.Package
	randType *types.TypeName
}

func newGlobalDraws(info *types.Info, seed *ast.CallExpr) (globalDraws, error) {
	randPkg := typeutil.StaticCallee(info, seed).Pkg()
	randType, _ := randPkg.Scope().Lookup("Rand").(*types.TypeName)
	if randType == nil {
		return globalDraws{}, fmt.Errorf("math/rand has no Rand type")
	}
	return globalDraws{info: info, randPkg: randPkg, randType: randType}, nil
}

// in calls visit for every draw in n, saying whether it is inside a
// function literal.
func (g globalDraws) in(n ast.Node, visit func(call *ast.CallExpr, inLit bool)) {
	var walk func(n ast.Node, inLit bool)
	walk = func(n ast.Node, inLit bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				walk(n.Body, true)
				return false
			case *ast.CallExpr:
				f := typeutil.StaticCallee(g.info, n)
				if f == nil || f.Pkg() != g.randPkg || f.Signature().Recv() != nil || f.Name() == "Seed" {
					return true
				}
				if m, _, _ := types.LookupFieldOrMethod(types.NewPointer(g.randType.Type()), false, g.randPkg, f.Name()); m != nil {
					visit(n, inLit)
				}
			}
			return true
		})
	}
	walk(n, false)
}

// noneElsewhere refuses the rewrite when a declaration other than fn draws
// from the global source: it would lose the seeded sequence.
func (g globalDraws) noneElsewhere(pass *analysis.Pass, fn ast.Node) error {
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if d == fn || (d.Pos() <= fn.Pos() && fn.End() <= d.End()) {
				continue
			}
			other := ""
			g.in(d, func(call *ast.CallExpr, _ bool) {
				if other == "" {
					other = types.ExprString(call.Fun)
				}
			})
			if other != "" {
				name := "a declaration"
				if fd, ok := d.(*ast.FuncDecl); ok {
					name = fd.Name.Name
				}
				return fmt.Errorf("%s also draws from the global source (%s): hand it a *rand.Rand made from the seed", name, other)
			}
		}
	}
	return nil
}

// after returns the draws that follow the seed in its block, which the
// rewrite moves to the local generator; it refuses draws in function
// literals (a *rand.Rand is not safe for concurrent use) and draws of the
// function outside the seed's block.
func (g globalDraws) after(site seedSite) ([]*ast.CallExpr, error) {
	var later []*ast.CallExpr
	var why string
	after := false
	for _, st := range site.block.List {
		if st == site.stmt {
			after = true
			continue
		}
		if !after {
			continue
		}
		g.in(st, func(call *ast.CallExpr, inLit bool) {
			if inLit && why == "" {
				why = "a function literal draws from the source after the seed, and a *rand.Rand is not safe for concurrent use"
			}
			later = append(later, call)
		})
	}
	g.in(site.fn, func(call *ast.CallExpr, _ bool) {
		outside := call.Pos() < site.block.Pos() || call.End() > site.block.End()
		if call.Pos() > site.stmt.End() && outside && why == "" {
			why = "the function draws from the global source outside the block of the seed"
		}
	})
	if why != "" {
		return nil, fmt.Errorf("%s", why)
	}
	if len(later) == 0 {
		return nil, fmt.Errorf("nothing in the function draws from the global source after the seed: the numbers are drawn elsewhere; pass them a *rand.Rand")
	}
	return later, nil
}

// edit replaces the seed statement by `name := rand.New(rand.NewSource(seed))`
// (keeping its comments) and makes the later draws call name's methods.
func (site seedSite) edit(f *rewrite.File, name string, later []*ast.CallExpr) error {
	ds, ok := f.Stmt(site.stmt).(*dst.ExprStmt)
	if !ok {
		return fmt.Errorf("seed statement not found in the decorated file")
	}
	dcall, ok := ds.X.(*dst.CallExpr)
	if !ok {
		return fmt.Errorf("seed call not found in the decorated file")
	}
	db, ok := f.Node(site.block).(*dst.BlockStmt)
	if !ok {
		return fmt.Errorf("block not found in the decorated file")
	}
	src := &dst.CallExpr{Fun: rewrite.Sel(site.pkgName, "NewSource"), Args: dcall.Args}
	gen := &dst.AssignStmt{
		Lhs: []dst.Expr{dst.NewIdent(name)},
		Tok: token.DEFINE,
		Rhs: []dst.Expr{&dst.CallExpr{Fun: rewrite.Sel(site.pkgName, "New"), Args: []dst.Expr{src}}},
	}
	gen.Decs.NodeDecs = ds.Decs.NodeDecs
	for i, s := range db.List {
		if s == ds {
			db.List[i] = gen
		}
	}
	for _, call := range later {
		_, dsel, err := f.SelectorCall(call)
		if err != nil {
			return err
		}
		dsel.X = dst.NewIdent(name)
	}
	return nil
}
