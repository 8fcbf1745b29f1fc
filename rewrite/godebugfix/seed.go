package godebugfix

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

// LocalGenerator replaces a reseed of the global math/rand source, which
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
func LocalGenerator(pass *analysis.Pass, seed *ast.CallExpr) (analysis.SuggestedFix, error) {
	info := pass.TypesInfo
	file := rewrite.FileOf(pass, seed)
	if file == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the call is not in a file of the package")
	}
	path, _ := astutil.PathEnclosingInterval(file, seed.Pos(), seed.End())
	var stmt *ast.ExprStmt
	var block *ast.BlockStmt
	var fn ast.Node
	for i, n := range path {
		if es, ok := n.(*ast.ExprStmt); ok && es.X == seed && i+1 < len(path) {
			stmt = es
			block, _ = path[i+1].(*ast.BlockStmt)
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if fn == nil {
				fn = n
			}
		}
	}
	if stmt == nil || block == nil || fn == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("rand.Seed is not a statement of a function body")
	}
	sel, ok := ast.Unparen(seed.Fun).(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("rand.Seed is not called through its package name")
	}
	randPkg := typeutil.StaticCallee(info, seed).Pkg()
	randType, _ := randPkg.Scope().Lookup("Rand").(*types.TypeName)
	if randType == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("math/rand has no Rand type")
	}
	// draws reports the global draws in n: calls of math/rand package
	// functions that *rand.Rand has as methods.
	draws := func(n ast.Node, visit func(call *ast.CallExpr, inLit bool)) {
		var walk func(n ast.Node, inLit bool)
		walk = func(n ast.Node, inLit bool) {
			ast.Inspect(n, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					walk(n.Body, true)
					return false
				case *ast.CallExpr:
					f := typeutil.StaticCallee(info, n)
					if f == nil || f.Pkg() != randPkg || f.Signature().Recv() != nil || f.Name() == "Seed" {
						return true
					}
					if m, _, _ := types.LookupFieldOrMethod(types.NewPointer(randType.Type()), false, randPkg, f.Name()); m != nil {
						visit(n, inLit)
					}
				}
				return true
			})
		}
		walk(n, false)
	}
	// Draws elsewhere in the package would lose the seeded sequence.
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if d == fn || (d.Pos() <= fn.Pos() && fn.End() <= d.End()) {
				continue
			}
			other := ""
			draws(d, func(call *ast.CallExpr, _ bool) {
				if other == "" {
					other = types.ExprString(call.Fun)
				}
			})
			if other != "" {
				name := "a declaration"
				if fd, ok := d.(*ast.FuncDecl); ok {
					name = fd.Name.Name
				}
				return analysis.SuggestedFix{}, fmt.Errorf("%s also draws from the global source (%s): hand it a *rand.Rand made from the seed", name, other)
			}
		}
	}
	var later []*ast.CallExpr
	var why string
	after := false
	for _, st := range block.List {
		if st == stmt {
			after = true
			continue
		}
		if !after {
			continue
		}
		draws(st, func(call *ast.CallExpr, inLit bool) {
			if inLit && why == "" {
				why = "a function literal draws from the source after the seed, and a *rand.Rand is not safe for concurrent use"
			}
			later = append(later, call)
		})
	}
	// Draws in the function outside the seed's block.
	draws(fn, func(call *ast.CallExpr, _ bool) {
		if call.Pos() > stmt.End() && (call.Pos() < block.Pos() || call.End() > block.End()) && why == "" {
			why = "the function draws from the global source outside the block of the seed"
		}
	})
	if why != "" {
		return analysis.SuggestedFix{}, fmt.Errorf("%s", why)
	}
	if len(later) == 0 {
		return analysis.SuggestedFix{}, fmt.Errorf("nothing in the function draws from the global source after the seed: the numbers are drawn elsewhere; pass them a *rand.Rand")
	}
	name := rewrite.FreshName(fn, "rng", "random", "seeded")
	pkgName := types.ExprString(sel.X)
	msg := "draw from a local generator, " + name + " := " + pkgName + ".New(" + pkgName + ".NewSource(seed))"
	return rewrite.Fix(pass, seed.Pos(), tier.Behavior, msg, func(f *rewrite.File) error {
		ds, ok := f.Stmt(stmt).(*dst.ExprStmt)
		if !ok {
			return fmt.Errorf("seed statement not found in the decorated file")
		}
		dcall, ok := ds.X.(*dst.CallExpr)
		if !ok {
			return fmt.Errorf("seed call not found in the decorated file")
		}
		db, ok := f.Node(block).(*dst.BlockStmt)
		if !ok {
			return fmt.Errorf("block not found in the decorated file")
		}
		src := &dst.CallExpr{Fun: &dst.SelectorExpr{X: dst.NewIdent(pkgName), Sel: dst.NewIdent("NewSource")}, Args: dcall.Args}
		gen := &dst.AssignStmt{
			Lhs: []dst.Expr{dst.NewIdent(name)},
			Tok: token.DEFINE,
			Rhs: []dst.Expr{&dst.CallExpr{Fun: &dst.SelectorExpr{X: dst.NewIdent(pkgName), Sel: dst.NewIdent("New")}, Args: []dst.Expr{src}}},
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
	})
}
