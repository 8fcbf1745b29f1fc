package godebug

import (
	"go/ast"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// maxProcs finds code that fights or caches the container-aware GOMAXPROCS
// of go1.25 (containermaxprocs=1, updatemaxprocs=1):
//
//   - runtime.GOMAXPROCS(runtime.NumCPU()) was a no-op before go1.25; now it
//     raises GOMAXPROCS above a container's CPU limit and switches off the
//     automatic updates;
//   - runtime.GOMAXPROCS(0) read during package initialisation (a package
//     variable's initialiser or an init function) is cached while the
//     runtime may now change the value as the CPU limit changes.
//
// Reads inside ordinary functions are not reported: they see the current
// value whenever they run.
func maxProcs(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !kit.IsPkgFunc(kit.Callee(info, call), "runtime", "GOMAXPROCS") || len(call.Args) != 1 {
			continue
		}
		arg := ast.Unparen(call.Args[0])
		if inner, ok := arg.(*ast.CallExpr); ok && kit.IsPkgFunc(kit.Callee(info, inner), "runtime", "NumCPU") {
			out = append(out, finding{
				setting: "containermaxprocs",
				node:    call,
				what:    "runtime.GOMAXPROCS(runtime.NumCPU()) overrides the container-aware default of go1.25: under a CPU limit it raises GOMAXPROCS above the limit (CPU throttling) and stops the runtime from updating it",
				fix:     "delete the call and let the runtime pick GOMAXPROCS",
			})
			continue
		}
		if v, ok := intConst(info, arg); !ok || v > 0 || !atInit(cur) {
			continue
		}
		out = append(out, finding{
			setting: "updatemaxprocs",
			node:    call,
			what:    "runtime.GOMAXPROCS(0) is read once during package initialisation: from go1.25 the runtime follows the container CPU limit and changes GOMAXPROCS while running, so sizes derived from this value go stale",
			fix:     "read runtime.GOMAXPROCS(0) where the size is used",
		})
	}
	return out
}

// atInit reports whether cur runs during package initialisation: in a
// package-level declaration outside function literals, or directly in an
// init function.
func atInit(cur inspector.Cursor) bool {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		fd, ok := c.Node().(*ast.FuncDecl)
		return ok && fd.Recv == nil && fd.Name.Name == "init"
	}
	return true
}
