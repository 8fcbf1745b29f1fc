package kit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// pathCases name their expectation: covered*/uncovered* ask whether every
// path from origin() to use() passes a kill(); exit*/escape* whether every
// path from origin() out of the function does.
const pathCases = `package p

func origin() {}
func kill()   {}
func use()    {}

func coveredStraight() { origin(); kill(); use() }
func coveredBothBranches(c bool) {
	origin()
	if c {
		kill()
	} else {
		kill()
	}
	use()
}
func uncoveredOneBranch(c bool) {
	origin()
	if c {
		kill()
	}
	use()
}
func uncoveredKillAfter() { origin(); use(); kill() }
func uncoveredLoopBackEdge(xs []int) {
	origin()
	for range xs {
		use()
		kill()
	}
}
func coveredBeforeLoop(xs []int) {
	origin()
	kill()
	for range xs {
		use()
	}
}
func uncoveredSwitchNoDefault(x int) {
	origin()
	switch x {
	case 1:
		kill()
	case 2:
		kill()
	}
	use()
}
func coveredSwitchDefault(x int) {
	origin()
	switch x {
	case 1:
		kill()
	default:
		kill()
	}
	use()
}
func coveredOtherBranchPanics(c bool) {
	origin()
	if c {
		kill()
	} else {
		panic("no")
	}
	use()
}
func coveredUseUnreachable(c bool) {
	origin()
	return
	use()
}
func exitKilled(c bool) {
	origin()
	if c {
		panic("stop")
	}
	kill()
}
func escapeEarlyReturn(c bool) {
	origin()
	if c {
		return
	}
	kill()
}
func escapeFallOff(c bool) {
	origin()
	if c {
		kill()
	}
}
`

func TestGraphPaths(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", pathCases, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	if _, err := (&types.Config{}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		fd := d.(*ast.FuncDecl)
		name := fd.Name.Name
		if name == "origin" || name == "kill" || name == "use" {
			continue
		}
		g := kit.NewGraph(info, fd.Body)
		var from, to kit.Point
		var via []kit.Point
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			id, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			p, ok := g.PointAt(call.Pos())
			if !ok {
				t.Fatalf("%s: no point for %s", name, id.Name)
			}
			switch id.Name {
			case "origin":
				from = p
			case "use":
				to = p
			case "kill":
				via = append(via, p)
			}
			return true
		})
		var got, want bool
		switch {
		case strings.HasPrefix(name, "covered"):
			got, want = g.Covered(from, to, via), true
		case strings.HasPrefix(name, "uncovered"):
			got, want = g.Covered(from, to, via), false
		case strings.HasPrefix(name, "exit"):
			got, want = g.CoveredToExit(from, via), true
		case strings.HasPrefix(name, "escape"):
			got, want = g.CoveredToExit(from, via), false
		}
		if got != want {
			t.Errorf("%s: covered = %v, want %v", name, got, want)
		}
	}
}
