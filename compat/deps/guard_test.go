package deps

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNonNilGuarded checks the guard on the first argument of each call
// to wrap() in a small file: the comment on the call's line says whether
// the argument is known non-nil there.
func TestNonNilGuarded(t *testing.T) {
	src := `package p

func wrap(err error) error { return err }
func f() error             { return nil }

func a(err error) error {
	if err != nil {
		return wrap(err) // yes
	}
	return wrap(err) // no
}

func b() error {
	if err := f(); err != nil && true {
		err = wrap(err) // yes
		return err
	}
	return nil
}

func c(err error) error {
	if err != nil {
		err = f()
		return wrap(err) // no
	}
	return nil
}

func d(err error) error {
	if err != nil {
		go func() { _ = wrap(err) }() // no
		for i := 0; i < 2; i++ {
			_ = wrap(err) // no
			err = f()
		}
	}
	return nil
}

func e(err error) error {
	if err == nil {
		return wrap(err) // no
	}
	return nil
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	require.NoError(t, err)
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	_, err = (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, info)
	require.NoError(t, err)
	lines := strings.Split(src, "\n")
	n := 0
	var stack []ast.Node
	ast.Inspect(file, func(nd ast.Node) bool {
		if nd == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, nd)
		call, ok := nd.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "wrap" {
			return true
		}
		line := lines[fset.Position(call.Pos()).Line-1]
		want := strings.HasSuffix(line, "// yes")
		require.True(t, want || strings.HasSuffix(line, "// no"), line)
		assert.Equal(t, want, NonNilGuarded(info, stack[:len(stack)-1], call.Args[0]), line)
		n++
		return true
	})
	assert.Equal(t, 7, n)
}
