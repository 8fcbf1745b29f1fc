package godebug

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// randSeed finds calls of math/rand.Seed that try to make the global source
// repeatable: from go1.24 Seed is a no-op (randseednop=1), so the sequence
// after it is random. Seeds drawn from the clock or another entropy source
// are not reported: the global source has been randomly seeded since go1.20,
// so dropping such a call changes nothing.
func randSeed(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	e := entropy{info: pass.TypesInfo}
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !kit.IsPkgFunc(kit.Callee(e.info, call), "math/rand", "Seed") || len(call.Args) != 1 {
			continue
		}
		if e.decls == nil {
			e.decls = funcDecls(pass)
		}
		if e.seed(enclosingFunc(cur), call.Args[0]) {
			continue
		}
		out = append(out, finding{
			setting: "randseednop",
			node:    call,
			what: fmt.Sprintf("rand.Seed(%s) is a no-op from go1.24: the global math/rand source keeps its random seed, so the numbers drawn after it no longer repeat for a given seed",
				types.ExprString(call.Args[0])),
			fix:  "draw from a local generator, rand.New(rand.NewSource(seed))",
			seed: call,
		})
	}
	return out
}

// entropySeed reports whether seed is drawn from the clock or an entropy
// source, directly or through a local variable all of whose assignments in
// body are. A function that reads crypto/rand anywhere is taken to seed from
// it (var b [8]byte; crand.Read(b[:]); rand.Seed(int64(...b...))): nobody
// wants to repeat such a sequence.
func (en entropy) seed(body *ast.BlockStmt, seed ast.Expr) bool {
	info := en.info
	if en.uses(seed, 1) || usesCryptoRand(info, body) {
		return true
	}
	id, ok := ast.Unparen(seed).(*ast.Ident)
	if !ok || body == nil {
		return false
	}
	obj, ok := info.Uses[id].(*types.Var)
	if !ok || obj.Parent() == nil || obj.Parent() == obj.Pkg().Scope() {
		return false // a parameter, field or package variable: set elsewhere
	}
	if obj.Pos() < body.Pos() || obj.Pos() > body.End() {
		return false // a parameter or captured variable
	}
	assigned, all := 0, true
	ast.Inspect(body, func(n ast.Node) bool {
		var lhs []ast.Expr
		var rhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs, rhs = n.Lhs, n.Rhs
		case *ast.ValueSpec:
			for _, name := range n.Names {
				lhs = append(lhs, name)
			}
			rhs = n.Values
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == obj {
				all = false // address taken: assigned out of sight
			}
			return true
		default:
			return true
		}
		for i, l := range lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || info.ObjectOf(lid) != obj {
				continue
			}
			assigned++
			if len(rhs) != len(lhs) || !en.uses(rhs[i], 1) {
				all = false
			}
		}
		return true
	})
	return assigned > 0 && all
}

// entropy recognises seeds drawn from the clock or a random source.
type entropy struct {
	info  *types.Info
	decls map[*types.Func]*ast.FuncDecl // functions of the package, built on first use
}

// funcDecls indexes the package's function declarations by object.
func funcDecls(pass *analysis.Pass) map[*types.Func]*ast.FuncDecl {
	m := make(map[*types.Func]*ast.FuncDecl)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					m[fn] = fd
				}
			}
		}
	}
	return m
}

// uses reports whether n calls into the clock or a random source: package
// time, methods of time.Time, crypto/rand, hash/maphash, math/rand/v2,
// os.Getpid, or (depth levels deep) a function of this package that does,
// such as a unixNano() helper.
func (en entropy) uses(n ast.Node, depth int) bool {
	info := en.info
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := kit.Callee(info, n)
			if fn == nil || fn.Pkg() == nil {
				return true
			}
			if fd, ok := en.decls[fn]; ok && depth > 0 && en.uses(fd.Body, depth-1) {
				found = true
				return false
			}
			switch fn.Pkg().Path() {
			case "time", "crypto/rand", "hash/maphash", "math/rand/v2":
				found = true
			case "os":
				found = fn.Name() == "Getpid"
			}
		case *ast.SelectorExpr:
			// crypto/rand.Reader passed to binary.Read or similar.
			if v, ok := info.Uses[n.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "crypto/rand" {
				found = true
			}
		}
		return !found
	})
	return found
}

// usesCryptoRand reports whether body refers to package crypto/rand.
func usesCryptoRand(info *types.Info, body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			if obj := info.Uses[id]; obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "crypto/rand" {
				found = true
			}
		}
		return !found
	})
	return found
}
