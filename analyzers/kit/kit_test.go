package kit_test

import (
	"fmt"
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// probe reports what the kit says about every call and every variable of
// the test cases, so that `// want` comments pin the shared tables down.
var probe = &analysis.Analyzer{
	Name: "probe",
	Doc:  "reports the kit's classification of calls and variables",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					var says []string
					if kit.IsExitCall(pass.TypesInfo, n) {
						says = append(says, "exit")
					}
					fn := kit.Callee(pass.TypesInfo, n)
					if i, ok := kit.EqualityCall(fn); ok {
						says = append(says, fmt.Sprintf("equality@%d", i))
					}
					if i, ok := kit.PrintfFormat(fn); ok {
						says = append(says, fmt.Sprintf("printf@%d", i))
					}
					if i, ok := kit.PrintOperands(fn); ok {
						says = append(says, fmt.Sprintf("print@%d", i))
					}
					if a, ok := kit.TestifyAssertion(fn); ok {
						says = append(says, fmt.Sprintf("testify %s@%d", a.Name, a.First))
					}
					if fn != nil && kit.IsEncoding(fn) {
						says = append(says, "encoding")
					}
					if fn != nil && kit.IsWriteMethod(fn.Name()) && fn.Signature().Recv() != nil {
						says = append(says, "write")
					}
					if fn != nil && kit.IsHashFunc(kit.PkgPath(fn), fn.Name()) {
						says = append(says, "hashfunc")
					}
					if len(says) > 0 {
						pass.Reportf(n.Pos(), "%s: %s", kit.CallName(pass.TypesInfo, n), strings.Join(says, " "))
					}
				case *ast.ValueSpec:
					for _, id := range n.Names {
						t := pass.TypesInfo.Defs[id].Type()
						if kit.IsHash(t) {
							pass.Reportf(id.Pos(), "%s: hash", id.Name)
						} else if kit.IsWriter(t) {
							pass.Reportf(id.Pos(), "%s: writer", id.Name)
						}
					}
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						if _, ok := lhs.(*ast.Ident); ok {
							continue
						}
						r := kit.RootOf(pass.TypesInfo, lhs)
						name := "nil"
						if r.Var != nil {
							name = r.Var.Name()
						}
						pass.Reportf(lhs.Pos(), "root %s indexed=%v indirect=%v", name, r.Indexed, r.Indirect)
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestKit(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "cases")
}
