package typesgen

import (
	"go/ast"
	"go/types"
)

// Unaliased operands are safe.
func namedOf(t types.Type) *types.Named {
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

func namedAfterUnalias(t types.Type) string {
	t = types.Unalias(t)
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

func namedLocal(obj types.Object) bool {
	t := types.Unalias(obj.Type())
	_, ok := t.(*types.Named)
	return ok
}

// A switch that handles aliases itself.
func kind(t types.Type) string {
	switch t := t.(type) {
	case *types.Alias:
		return kind(types.Unalias(t))
	case *types.Named:
		return "named"
	}
	return "other"
}

// A prior alias test in the same function.
func resolve(t types.Type) *types.Named {
	if a, ok := t.(*types.Alias); ok {
		t = a.Rhs()
	}
	n, _ := t.(*types.Named)
	return n
}

// Underlying never returns an alias.
func structOf(t types.Type) *types.Struct {
	s, _ := t.Underlying().(*types.Struct)
	return s
}

// Assertions on AST nodes and on types.Object are not type assertions on a
// types.Type.
func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func typeNameObj(obj types.Object) *types.TypeName {
	tn, _ := obj.(*types.TypeName)
	return tn
}

// Other concrete types are left alone (documented gap).
func pointerElem(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return nil
}

// An own Unalias helper counts too.
func unalias(t types.Type) types.Type { return types.Unalias(t) }

func viaHelper(t types.Type) bool {
	_, ok := unalias(t).(*types.Named)
	return ok
}

func ignored(t types.Type) bool {
	//upshift:ignore godebug input comes from types.NewNamed only, never from source
	_, ok := t.(*types.Named)
	return ok
}

// methodCount counts methods of defined types only; type aliases are
// skipped on purpose, their target is counted where it is declared.
func methodCount(t types.Type) int {
	if n, ok := t.(*types.Named); ok {
		return n.NumMethods()
	}
	return 0
}

// originOf resolves generic origins through the go/types API.
func originOf(t types.Type) types.Type {
	if a, ok := t.(*types.Alias); ok {
		return a.Origin()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin()
	}
	return t
}

// The type of a declaration picked by name is known to its author.
func contextType(pkg *types.Package) *types.Named {
	return pkg.Scope().Lookup("Context").Type().(*types.Named)
}

// A case that only panics marks a kind the caller rules out.
func underlyingKind(u types.Type) string {
	switch u.(type) {
	case *types.Named:
		panic("unreachable: called with Underlying()")
	case *types.Struct:
		return "struct"
	}
	return "other"
}
