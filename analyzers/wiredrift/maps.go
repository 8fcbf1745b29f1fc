package wiredrift

import (
	"go/types"
	"strings"
)

// encoder names a serialisation whose output order depends on map
// iteration.
type encoder uint8

const (
	encNone encoder = iota
	encGob
	encProto
	encJSONv2
)

// name is the short encoder name used in categories and messages.
func (e encoder) name() string {
	switch e {
	case encGob:
		return "gob"
	case encProto:
		return "proto"
	case encJSONv2:
		return "jsonv2"
	}
	return ""
}

// bytesName is how a message refers to the encoder's output.
func (e encoder) bytesName() string {
	switch e {
	case encGob:
		return "gob bytes"
	case encProto:
		return "protobuf bytes"
	case encJSONv2:
		return "json v2 bytes"
	}
	return "encoded bytes"
}

// reason says why the encoder's output is not stable.
func (e encoder) reason() string {
	switch e {
	case encGob:
		return "gob encodes maps in iteration order"
	case encProto:
		return "proto.Marshal writes map fields in random order unless Deterministic is set"
	case encJSONv2:
		return "json v2 writes maps in random order unless Deterministic(true) is passed"
	}
	return ""
}

// fix is the remedy the message suggests.
func (e encoder) fix() string {
	switch e {
	case encGob:
		return "encode with encoding/json or sort before encoding"
	case encProto:
		return "marshal with proto.MarshalOptions{Deterministic: true}"
	case encJSONv2:
		return "pass json.Deterministic(true)"
	}
	return ""
}

// mapPath reports where a value of type t holds a map that enc would
// encode, as a description such as "map field Provider.Params" or "a map",
// or "" when t holds no map the encoder sees. Interface-typed parts are
// unknown and yield nothing: the check only reports what it can prove.
func mapPath(enc encoder, t types.Type) string {
	w := mapWalker{enc: enc, seen: make(map[types.Type]bool)}
	path, ok := w.walk(t, "")
	if !ok {
		return ""
	}
	if path == "" {
		return "a map"
	}
	return "map field " + path
}

type mapWalker struct {
	enc  encoder
	seen map[types.Type]bool
}

// walk returns the field path to the first map found in t.
func (w *mapWalker) walk(t types.Type, prefix string) (string, bool) {
	t = types.Unalias(t)
	if w.seen[t] {
		return "", false
	}
	w.seen[t] = true
	if w.customEncoding(t) {
		return "", false
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		return prefix, true
	case *types.Pointer:
		return w.walk(u.Elem(), prefix)
	case *types.Slice:
		if isByte(u.Elem()) {
			return "", false
		}
		return w.walk(u.Elem(), prefix+"[]")
	case *types.Array:
		return w.walk(u.Elem(), prefix+"[]")
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if !w.fieldEncoded(f, u.Tag(i)) {
				continue
			}
			name := f.Name()
			if prefix != "" {
				name = prefix + "." + name
			}
			if p, ok := w.walk(f.Type(), name); ok {
				return p, true
			}
		}
	}
	return "", false
}

// fieldEncoded reports whether the encoder writes field f.
func (w *mapWalker) fieldEncoded(f *types.Var, tag string) bool {
	switch w.enc {
	case encGob:
		// gob writes exported fields only and skips chan and func fields.
		if !f.Exported() {
			return false
		}
		switch f.Type().Underlying().(type) {
		case *types.Chan, *types.Signature:
			return false
		}
		return true
	case encProto:
		// Generated messages keep internal state in unexported fields and
		// legacy XXX_ fields.
		return f.Exported() && !strings.HasPrefix(f.Name(), "XXX_")
	case encJSONv2:
		name, _ := parseJSONTag(tag)
		if name == "-" {
			return false
		}
		return f.Exported() || (f.Embedded() && isStructLike(f.Type()))
	}
	return false
}

// customEncoding reports whether t takes over its own encoding, in which
// case its map order is the author's business.
func (w *mapWalker) customEncoding(t types.Type) bool {
	switch w.enc {
	case encGob:
		return hasMethod(t, "GobEncode") || hasMethod(t, "MarshalBinary")
	case encJSONv2:
		return jsonMethods(t, true)
	}
	return false
}

// hasMethod reports whether t or *t has a method named name.
func hasMethod(t types.Type, name string) bool {
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			t = types.NewPointer(t)
		}
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// jsonMethods reports whether t (or *t) customises its JSON, in the marshal
// direction when marshal is set and in the unmarshal direction otherwise.
func jsonMethods(t types.Type, marshal bool) bool {
	// MarshalNextJSON and UnmarshalNextJSON are the names older
	// go-json-experiment releases used.
	names := []string{"UnmarshalJSON", "UnmarshalJSONFrom", "UnmarshalNextJSON", "UnmarshalText"}
	if marshal {
		names = []string{"MarshalJSON", "MarshalJSONTo", "MarshalNextJSON", "MarshalText"}
	}
	for _, n := range names {
		if hasMethod(t, n) {
			return true
		}
	}
	return false
}

func isByte(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

func isStructLike(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// isUnknownType reports whether t is an interface or type parameter, whose
// dynamic type decides the encoding.
func isUnknownType(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return true
	}
	_, ok := t.Underlying().(*types.Interface)
	return ok
}
