package kit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/ast/inspector"
)

// EnclosingFunc finds the innermost function around a node: a literal
// inside a declaration, the declaration itself, or none at package level.
func TestEnclosingFunc(t *testing.T) {
	src := `package p

var top = 1

func outer(a int) int {
	f := func(b string) { _ = b }
	_ = f
	return a
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	root := inspector.New([]*ast.File{file}).Root()
	got := map[string]string{}
	for cur := range root.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if id.Name != "b" && id.Name != "a" && id.Name != "top" {
			continue
		}
		fn, typ, body, ok := EnclosingFunc(cur)
		if !ok {
			got[id.Name] = "package level"
			continue
		}
		if body == nil || typ.Params.NumFields() != 1 {
			t.Errorf("%s: body %v, %d params", id.Name, body, typ.Params.NumFields())
		}
		switch fn.Node().(type) {
		case *ast.FuncDecl:
			got[id.Name] = "declaration"
		case *ast.FuncLit:
			got[id.Name] = "literal"
		}
	}
	want := map[string]string{"top": "package level", "a": "declaration", "b": "literal"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}
