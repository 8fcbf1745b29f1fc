package typesgen

import (
	"go/types"
	"testing"
)

// Test fixtures are declared by the test itself; a wrong assertion fails
// the test at the bump, so tests are not reported.
func TestLookup(t *testing.T) {
	pkg := types.NewPackage("p", "p")
	obj := types.NewTypeName(0, pkg, "T", nil)
	named := types.NewNamed(obj, types.NewStruct(nil, nil), nil)
	pkg.Scope().Insert(obj)
	if pkg.Scope().Lookup("T").Type().(*types.Named) != named {
		t.Fatal("lookup")
	}
}
