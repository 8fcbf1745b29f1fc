package wire

import (
	"fmt"
	"go/types"
	"reflect"
	"strings"

	"github.com/upshift-dev/upshift/compat/api"
	"github.com/upshift-dev/upshift/compat/report"
)

// Codec names an encoding.
type Codec string

// The codecs wire understands.
const (
	JSON Codec = "json"
	Gob  Codec = "gob"
)

// Kind is the class of a value on the wire. Classes are per codec: JSON
// has one number class on the wire but decoding checks the Go type, gob
// keeps signed, unsigned and float integers apart.
type Kind string

// The kinds of schema nodes.
const (
	KindBool      Kind = "bool"
	KindInt       Kind = "int"   // signed integer
	KindUint      Kind = "uint"  // unsigned integer
	KindFloat     Kind = "float" // floating point
	KindComplex   Kind = "complex"
	KindString    Kind = "string"
	KindBytes     Kind = "bytes" // []byte: base64 in JSON, bytes in gob
	KindStruct    Kind = "struct"
	KindMap       Kind = "map"
	KindSlice     Kind = "slice"
	KindArray     Kind = "array"
	KindInterface Kind = "interface"
	// KindCustom is a type with its own marshaling method (MarshalJSON,
	// MarshalText, GobEncode, MarshalBinary): its wire form is opaque.
	KindCustom Kind = "custom"
	// KindUnsupported is a type the codec refuses or skips (chan, func).
	KindUnsupported Kind = "unsupported"
)

// Schema is the wire shape of a Go type for one codec. Schemas of
// recursive types are cyclic graphs.
type Schema struct {
	Kind Kind
	// Bits is the size of numbers (int and uint count as 64).
	Bits int
	// Type is the Go type, qualified relative to the module ("model.Item")
	// so that both sides print and compare alike.
	Type string
	// Custom names the marshaling method of a KindCustom type.
	Custom string
	// Elem is the element of slices, arrays and maps; Key the map key.
	Elem, Key *Schema
	// Len is the length of arrays.
	Len int64
	// Fields are the struct's fields as the codec sees them.
	Fields []*Field
	// Dropped maps Go field names that exist but are not on the wire to
	// why ("json:\"-\"", "unexported", "conflicting JSON name").
	Dropped map[string]string
	// Pos is the declaration of a named struct type.
	Pos *report.Position
}

// Field is one struct field on the wire.
type Field struct {
	// Key is the JSON key or the gob field name.
	Key string
	// GoName is the Go field name, with the embedding path for promoted
	// fields ("Base.ID").
	GoName string
	// Tagged is true when the JSON key comes from a tag.
	Tagged bool
	// OmitEmpty and String are the JSON tag options.
	OmitEmpty, String bool
	Schema            *Schema
	Pos               *report.Position
	depth             int
	// index is the field's position among the struct's wire fields.
	index int
}

// builder builds the schemas of one module for one codec, memoising named
// types so that recursive types terminate.
type builder struct {
	mod   *api.Module
	codec Codec
	named map[*types.TypeName]*Schema
}

func newBuilder(m *api.Module, c Codec) *builder {
	return &builder{mod: m, codec: c, named: map[*types.TypeName]*Schema{}}
}

// qualifier prints module types relative to the module ("model.Item")
// and others by full path, identically on both sides.
func (b *builder) qualifier(p *types.Package) string {
	rel := b.mod.RelPath(p.Path())
	if rel == "" {
		return p.Name()
	}
	if strings.HasPrefix(rel, "/") {
		return strings.TrimPrefix(rel, "/")
	}
	return p.Path()
}

func (b *builder) typeString(t types.Type) string {
	return types.TypeString(t, b.qualifier)
}

func (b *builder) position(obj types.Object) *report.Position {
	file, line, col := b.mod.Position(obj.Pos())
	if file == "" {
		return nil
	}
	return &report.Position{File: file, Line: line, Column: col}
}

// schema returns the schema of t.
func (b *builder) schema(t types.Type) *Schema {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		// Both codecs flatten pointers (nil is null in JSON, absent in gob).
		return b.schema(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		if s, ok := b.named[n.Obj()]; ok {
			return s
		}
		s := &Schema{Type: b.typeString(n)}
		b.named[n.Obj()] = s
		if custom := b.customMethod(n); custom != "" {
			s.Kind, s.Custom = KindCustom, custom
			return s
		}
		*s = *b.structural(n.Underlying(), s.Type)
		if _, ok := n.Underlying().(*types.Struct); ok {
			s.Pos = b.position(n.Obj())
		}
		return s
	}
	return b.structural(t, b.typeString(t))
}

func (b *builder) structural(t types.Type, name string) *Schema {
	s := &Schema{Type: name}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		b.basic(s, u)
	case *types.Struct:
		s.Kind = KindStruct
		if b.codec == JSON {
			b.jsonFields(s, u)
		} else {
			b.gobFields(s, u)
		}
	case *types.Map:
		s.Kind, s.Key, s.Elem = KindMap, b.schema(u.Key()), b.schema(u.Elem())
	case *types.Slice:
		if isByte(u.Elem()) {
			s.Kind = KindBytes
		} else {
			s.Kind, s.Elem = KindSlice, b.schema(u.Elem())
		}
	case *types.Array:
		// encoding/json v1 writes [N]byte as an array of numbers (v2
		// as base64), gob as an array: no special case here.
		s.Kind, s.Elem, s.Len = KindArray, b.schema(u.Elem()), u.Len()
	case *types.Interface:
		s.Kind = KindInterface
	default:
		s.Kind = KindUnsupported
	}
	return s
}

func isByte(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == types.Byte
}

func (b *builder) basic(s *Schema, t *types.Basic) {
	info := t.Info()
	switch {
	case info&types.IsBoolean != 0:
		s.Kind = KindBool
	case info&types.IsString != 0:
		s.Kind = KindString
	case info&types.IsUnsigned != 0:
		s.Kind, s.Bits = KindUint, intBits(t.Kind())
	case info&types.IsInteger != 0:
		s.Kind, s.Bits = KindInt, intBits(t.Kind())
	case info&types.IsFloat != 0:
		s.Kind, s.Bits = KindFloat, 64
		if t.Kind() == types.Float32 {
			s.Bits = 32
		}
	case info&types.IsComplex != 0:
		s.Kind, s.Bits = KindComplex, 128
		if t.Kind() == types.Complex64 {
			s.Bits = 64
		}
	default:
		s.Kind = KindUnsupported
	}
}

func intBits(k types.BasicKind) int {
	switch k {
	case types.Int8, types.Uint8:
		return 8
	case types.Int16, types.Uint16:
		return 16
	case types.Int32, types.Uint32:
		return 32
	}
	return 64
}

// customMethod returns the method through which the codec encodes values
// of n itself, or "". Signatures are matched by shape, so that a side need
// not import the codec's package.
func (b *builder) customMethod(n *types.Named) string {
	var names []string
	if b.codec == JSON {
		names = []string{"MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText"}
	} else {
		names = []string{"GobEncode", "GobDecode", "MarshalBinary", "UnmarshalBinary"}
	}
	ms := types.NewMethodSet(types.NewPointer(n))
	for _, name := range names {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			// Exported method names are looked up with a nil package.
			continue
		}
		sig, ok := sel.Obj().Type().(*types.Signature)
		if !ok {
			continue
		}
		if strings.HasPrefix(name, "Marshal") || strings.HasPrefix(name, "GobEncode") {
			if sig.Params().Len() == 0 && sig.Results().Len() == 2 {
				return name
			}
		} else if sig.Params().Len() == 1 && sig.Results().Len() == 1 {
			return name
		}
	}
	return ""
}

// gobFields lists the fields gob transmits: exported ones, by name, with
// no promotion (an embedded struct is a field named after its type);
// chan and func fields are skipped.
func (b *builder) gobFields(s *Schema, st *types.Struct) {
	s.Dropped = map[string]string{}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if !f.Exported() {
			s.Dropped[f.Name()] = "unexported"
			continue
		}
		switch types.Unalias(f.Type()).Underlying().(type) {
		case *types.Chan, *types.Signature:
			s.Dropped[f.Name()] = "chan and func fields are not sent by gob"
			continue
		}
		s.Fields = append(s.Fields, &Field{Key: f.Name(), GoName: f.Name(), Schema: b.schema(f.Type()), Pos: b.position(f), index: len(s.Fields)})
	}
}

// jsonFields lists the fields encoding/json (v1) transmits, following its
// rules: tag names, "-", exported fields, promotion of embedded structs
// breadth first, and dominance (the shallowest field wins, a tagged one
// over an untagged one at the same depth, and ties vanish).
func (b *builder) jsonFields(s *Schema, st *types.Struct) {
	s.Dropped = map[string]string{}
	type level struct {
		st    *types.Struct
		path  string
		depth int
	}
	var all []*Field
	queue := []level{{st: st}}
	visited := map[*types.Struct]bool{}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if visited[cur.st] {
			continue
		}
		visited[cur.st] = true
		for i := 0; i < cur.st.NumFields(); i++ {
			f := cur.st.Field(i)
			goName := joinPath(cur.path, f.Name())
			ft := types.Unalias(f.Type())
			if f.Embedded() {
				et := ft
				if p, ok := et.(*types.Pointer); ok {
					et = types.Unalias(p.Elem())
				}
				if !f.Exported() {
					if _, isStruct := et.Underlying().(*types.Struct); !isStruct {
						s.Dropped[goName] = "unexported"
						continue
					}
				}
			} else if !f.Exported() {
				s.Dropped[goName] = "unexported"
				continue
			}
			tag := reflect.StructTag(cur.st.Tag(i)).Get("json")
			if tag == "-" {
				s.Dropped[goName] = `json:"-"`
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if !validTagName(name) {
				name = ""
			}
			fld := &Field{
				Key: name, GoName: goName, Tagged: name != "", depth: cur.depth,
				OmitEmpty: hasOpt(opts, "omitempty"), String: hasOpt(opts, "string"),
				Pos: b.position(f),
			}
			et := ft
			if p, ok := et.(*types.Pointer); ok {
				et = types.Unalias(p.Elem())
			}
			// Like encoding/json, promote the fields of an untagged
			// embedded struct even when it has its own marshaler: the
			// marshaler, promoted to the outer type, is found on the
			// outer type instead.
			if st2, isStruct := et.Underlying().(*types.Struct); f.Embedded() && name == "" && isStruct {
				queue = append(queue, level{st: st2, path: goName, depth: cur.depth + 1})
				continue
			}
			if fld.Key == "" {
				fld.Key = f.Name()
			}
			if fld.String && !quotable(ft) {
				fld.String = false
			}
			fld.Schema = b.schema(ft)
			all = append(all, fld)
		}
	}
	// Dominance, as encoding/json's typeFields does it.
	byKey := map[string][]*Field{}
	var order []string
	for _, f := range all {
		if _, ok := byKey[f.Key]; !ok {
			order = append(order, f.Key)
		}
		byKey[f.Key] = append(byKey[f.Key], f)
	}
	for _, key := range order {
		fs := byKey[key]
		minDepth := fs[0].depth
		for _, f := range fs {
			minDepth = min(minDepth, f.depth)
		}
		var shallow, tagged []*Field
		for _, f := range fs {
			if f.depth == minDepth {
				shallow = append(shallow, f)
				if f.Tagged {
					tagged = append(tagged, f)
				}
			}
		}
		switch {
		case len(shallow) == 1:
			s.Fields = append(s.Fields, shallow[0])
		case len(tagged) == 1:
			s.Fields = append(s.Fields, tagged[0])
		default:
			for _, f := range fs {
				s.Dropped[f.GoName] = fmt.Sprintf("conflicting JSON name %q", key)
			}
		}
	}
	for i, f := range s.Fields {
		f.index = i
	}
}

// quotable reports whether the ",string" option applies to t: encoding/json
// honours it only for strings, numbers and booleans (and pointers to them).
func quotable(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	bt, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && bt.Info()&(types.IsBoolean|types.IsNumeric|types.IsString) != 0 && bt.Info()&types.IsComplex == 0
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// validTagName mirrors encoding/json's isValidTag.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c > 127):
			return false
		}
	}
	return true
}
