package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"testing"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
)

func parseForBench(tb testing.TB, name string) (*analysis.Pass, *ast.File) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		tb.Fatal(err)
	}
	return &analysis.Pass{Fset: fset, Files: []*ast.File{f}, ReadFile: os.ReadFile}, f
}

// TestCopyIsIndependent checks that a fix's copy maps every node of the
// syntax to its own node, so that edits of one fix never reach another's
// copy or the pristine tree.
func TestCopyIsIndependent(t *testing.T) {
	pass, f := parseForBench(t, "rewrite.go")
	d, err := decorateFile(pass, f)
	if err != nil {
		t.Fatal(err)
	}
	a, b := d.copy(pass, f), d.copy(pass, f)
	if len(a.nodes) != len(d.nodes) {
		t.Fatalf("copy maps %d nodes, the decoration %d", len(a.nodes), len(d.nodes))
	}
	for n, pristine := range d.nodes {
		if a.nodes[n] == pristine || a.nodes[n] == b.nodes[n] {
			t.Fatalf("node %T at %v is shared between copies", n, pass.Fset.Position(n.Pos()))
		}
	}
	for i, spec := range a.DST.Imports {
		found := false
		dst.Inspect(a.DST, func(n dst.Node) bool {
			found = found || n == spec
			return !found
		})
		if !found {
			t.Errorf("import %d of the copy is not in its tree", i)
		}
	}
}

// BenchmarkDecoration compares what each fix of a file pays for its own
// tree: decorating the file again (before) or copying the pass's one
// decoration (now).
func BenchmarkDecoration(b *testing.B) {
	pass, f := parseForBench(b, "rewrite.go")
	b.Run("decorate-per-fix", func(b *testing.B) {
		for b.Loop() {
			if _, err := decorateFile(pass, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, err := decorateFile(pass, f)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("copy-per-fix", func(b *testing.B) {
		for b.Loop() {
			d.copy(pass, f)
		}
	})
}
