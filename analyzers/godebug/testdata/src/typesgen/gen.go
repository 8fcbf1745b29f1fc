// Package typesgen is a code generator walking go/types objects, in the
// shape of controller-tools' type walker that broke at go1.23.
package typesgen

import (
	"fmt"
	"go/types"
)

type field struct {
	Name, Type string
}

// lookupStruct finds a named struct type in pkg.
func lookupStruct(pkg *types.Package, name string) (*types.Struct, error) {
	obj := pkg.Scope().Lookup(name)
	if obj == nil {
		return nil, fmt.Errorf("%s not found", name)
	}
	named, ok := obj.Type().(*types.Named) // want `obj\.Type\(\)\.\(\*types\.Named\) is false \(so the type is silently skipped\) for types declared through an al.as from go1\.23.*GODEBUG gotypesal.as changed in go1\.23.*assert on types\.Unal.as\(obj\.Type\(\)\), or keep the old behaviour with .godebug gotypesal.as=0.`
	if !ok {
		return nil, fmt.Errorf("%s is not a named type", name)
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("%s is not a struct", name)
	}
	return st, nil
}

func typeName(t types.Type) string {
	switch t := t.(type) {
	case *types.Basic:
		return t.Name()
	case *types.Named: // want `case \*types\.Named no longer matches types declared through an al.as from go1\.23`
		return t.Obj().Name()
	case *types.Pointer:
		return "*" + typeName(t.Elem())
	}
	return "?"
}

func fieldsOf(st *types.Struct) []field {
	var out []field
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if p, ok := f.Type().(*types.Pointer); ok {
			// Pointer fields name their element type.
			n := p.Elem().(*types.Named) // want `p\.Elem\(\)\.\(\*types\.Named\) panics for types declared through an al.as`
			out = append(out, field{f.Name(), "*" + n.Obj().Name()})
			continue
		}
		out = append(out, field{f.Name(), typeName(f.Type())})
	}
	return out
}

func isTime(info *types.Info, v *types.Var) bool {
	n, ok := v.Type().(*types.Named) // want `v\.Type\(\)\.\(\*types\.Named\) is false`
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time"
}
