package wire

import (
	"go/ast"
	"go/constant"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/compat/api"
	"github.com/upshift-dev/upshift/compat/report"
)

// Marker is the comment that marks a type declaration as serialized, for
// types whose encode and decode calls wire cannot see (values passed as
// `any` through a cache client, for instance). It may name codecs:
// "//upshift:wire json" or "//upshift:wire gob"; without one it means both.
const Marker = "//upshift:wire"

// Root is a serialized named type found in a module.
type Root struct {
	// Key identifies the type across sides: module-relative package path
	// and type name ("/model.Order", ".Config" for the root package).
	Key string
	// Name is the type qualified by its package's import path.
	Name string
	// Codecs are the codecs the type is used with.
	Codecs []Codec
	// Why says where the type was found ("json.Marshal at api/h.go:12").
	Why []string
	obj *types.TypeName
}

// Registration is a gob.Register or gob.RegisterName call.
type Registration struct {
	// Key is the registered type's key (see Root.Key), with a leading
	// "*" for pointer registrations.
	Key string
	// Name is the name gob sends for the type in interface values.
	Name string
	// Type is the registered type's import path and name.
	Type string
	Pos  *report.Position
}

// callArgs maps the codec functions whose arguments are serialized values
// to the index of that argument.
var callArgs = map[string]struct {
	codec Codec
	arg   int
}{
	"encoding/json.Marshal":               {JSON, 0},
	"encoding/json.MarshalIndent":         {JSON, 0},
	"encoding/json.Unmarshal":             {JSON, 1},
	"(*encoding/json.Encoder).Encode":     {JSON, 0},
	"(*encoding/json.Decoder).Decode":     {JSON, 0},
	"(*encoding/gob.Encoder).Encode":      {Gob, 0},
	"(*encoding/gob.Decoder).Decode":      {Gob, 0},
	"encoding/gob.Register":               {Gob, 0},
	"encoding/gob.RegisterName":           {Gob, 1},
	"(*encoding/gob.Encoder).EncodeValue": {Gob, -1},
}

// findRoots returns the serialized named types of m, found at codec calls
// and marker comments, and the gob registrations.
func findRoots(m *api.Module) ([]*Root, []Registration) {
	roots := map[*types.TypeName]*Root{}
	var regs []Registration
	add := func(tn *types.TypeName, c Codec, why string) {
		r := roots[tn]
		if r == nil {
			r = &Root{Key: typeKey(m, tn), Name: tn.Pkg().Path() + "." + tn.Name(), obj: tn}
			roots[tn] = r
		}
		if !slices.Contains(r.Codecs, c) {
			r.Codecs = append(r.Codecs, c)
		}
		if !slices.Contains(r.Why, why) {
			r.Why = append(r.Why, why)
		}
	}
	// Wrappers are the module's functions that pass one of their
	// interface parameters to a codec (a cache client's Set(key, v any)):
	// their callers' arguments are serialized too. Wrappers of wrappers
	// are found by iterating.
	wrappers := map[*types.Func]map[int][]Codec{}
	sink := func(fn *types.Func) map[int][]Codec {
		if c, ok := callArgs[fn.FullName()]; ok && c.arg >= 0 {
			return map[int][]Codec{c.arg: {c.codec}}
		}
		return wrappers[fn.Origin()]
	}
	for round := 0; round < 3; round++ {
		grew := false
		forEachCall(m, func(p *packages.Package, encl *ast.FuncDecl, call *ast.CallExpr, fn *types.Func) {
			if encl == nil {
				return
			}
			for arg, codecs := range sink(fn) {
				if arg >= len(call.Args) {
					continue
				}
				idx, ok := paramIndex(p.TypesInfo, encl, call.Args[arg])
				if !ok {
					continue
				}
				self, _ := p.TypesInfo.Defs[encl.Name].(*types.Func)
				if self == nil {
					continue
				}
				if wrappers[self] == nil {
					wrappers[self] = map[int][]Codec{}
				}
				for _, c := range codecs {
					if !slices.Contains(wrappers[self][idx], c) {
						wrappers[self][idx] = append(wrappers[self][idx], c)
						grew = true
					}
				}
			}
		})
		if !grew {
			break
		}
	}

	forEachCall(m, func(p *packages.Package, _ *ast.FuncDecl, call *ast.CallExpr, fn *types.Func) {
		file, line, _ := m.Position(call.Pos())
		why := shortFunc(fn.FullName()) + " at " + file + ":" + strconv.Itoa(line)
		for arg, codecs := range sink(fn) {
			if arg >= len(call.Args) {
				continue
			}
			for _, tn := range namedIn(m, p.TypesInfo.TypeOf(call.Args[arg])) {
				for _, c := range codecs {
					add(tn, c, why)
				}
			}
		}
		if strings.HasPrefix(fn.FullName(), "encoding/gob.Register") {
			if reg, ok := registration(m, p.TypesInfo, fn.Name(), call); ok {
				reg.Pos = &report.Position{File: file, Line: line}
				regs = append(regs, reg)
			}
		}
	})

	for _, p := range m.Packages {
		for _, file := range p.Syntax {
			for _, decl := range file.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, spec := range gd.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					codecs, ok := marked(gd.Doc, ts.Doc)
					if !ok {
						continue
					}
					tn, _ := p.TypesInfo.Defs[ts.Name].(*types.TypeName)
					if tn == nil {
						continue
					}
					file, line, _ := m.Position(ts.Pos())
					for _, c := range codecs {
						add(tn, c, Marker+" at "+file+":"+strconv.Itoa(line))
					}
				}
			}
		}
	}
	out := make([]*Root, 0, len(roots))
	for _, r := range roots {
		slices.Sort(r.Codecs)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Root) int { return strings.Compare(a.Key, b.Key) })
	return out, regs
}

// forEachCall calls f for every call with a static callee in the module,
// with the enclosing function declaration (nil at package level).
func forEachCall(m *api.Module, f func(*packages.Package, *ast.FuncDecl, *ast.CallExpr, *types.Func)) {
	for _, p := range m.Packages {
		for _, file := range p.Syntax {
			for _, decl := range file.Decls {
				encl, _ := decl.(*ast.FuncDecl)
				ast.Inspect(decl, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if fn := typeutil.StaticCallee(p.TypesInfo, call); fn != nil {
						f(p, encl, call, fn)
					}
					return true
				})
			}
		}
	}
}

// paramIndex reports whether expr (possibly &x or (x)) is a parameter of
// interface or type-parameter type of decl, and its index.
func paramIndex(info *types.Info, decl *ast.FuncDecl, expr ast.Expr) (int, bool) {
	for {
		switch e := expr.(type) {
		case *ast.ParenExpr:
			expr = e.X
			continue
		case *ast.UnaryExpr:
			if e.Op.String() == "&" {
				expr = e.X
				continue
			}
		}
		break
	}
	id, ok := expr.(*ast.Ident)
	if !ok {
		return 0, false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return 0, false
	}
	if _, isIface := v.Type().Underlying().(*types.Interface); !isIface {
		return 0, false
	}
	i := 0
	for _, field := range decl.Type.Params.List {
		names := field.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, name := range names {
			if info.Defs[name] == v {
				return i, true
			}
			i++
		}
	}
	return 0, false
}

// marked reports whether one of the doc comments holds the marker, and
// for which codecs.
func marked(docs ...*ast.CommentGroup) ([]Codec, bool) {
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		for _, c := range doc.List {
			rest, ok := strings.CutPrefix(c.Text, Marker)
			if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
				continue
			}
			var codecs []Codec
			for _, w := range strings.Fields(rest) {
				switch Codec(w) {
				case JSON, Gob:
					codecs = append(codecs, Codec(w))
				}
			}
			if len(codecs) == 0 {
				codecs = []Codec{JSON, Gob}
			}
			return codecs, true
		}
	}
	return nil, false
}

// namedIn returns the module's named types a value of type t serializes
// at the top: through pointers, slices, arrays and map values.
func namedIn(m *api.Module, t types.Type) []*types.TypeName {
	for depth := 0; t != nil && depth < 8; depth++ {
		t = types.Unalias(t)
		switch u := t.(type) {
		case *types.Named:
			tn := u.Obj()
			if tn.Pkg() == nil || !inModule(m, tn.Pkg().Path()) {
				return nil
			}
			if tn.Parent() != tn.Pkg().Scope() {
				// A function-local type (the `type plain T` idiom inside
				// UnmarshalJSON) cannot be paired across versions; the
				// enclosing type is what is serialized.
				return nil
			}
			if _, isIface := u.Underlying().(*types.Interface); isIface {
				return nil
			}
			return []*types.TypeName{tn}
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		default:
			return nil
		}
	}
	return nil
}

func inModule(m *api.Module, pkgPath string) bool {
	return pkgPath == m.Path || strings.HasPrefix(pkgPath, m.Path+"/")
}

// typeKey is the side-independent key of a module type.
func typeKey(m *api.Module, tn *types.TypeName) string {
	return m.RelPath(tn.Pkg().Path()) + "." + tn.Name()
}

// registration computes the name gob.Register gives a value, with the
// quirk kept for compatibility: a named value type is registered under
// its full import path, a pointer to one under its package *name* only
// ("*p.T"), because Register uses the pointer type's String.
func registration(m *api.Module, info *types.Info, fn string, call *ast.CallExpr) (Registration, bool) {
	argIdx := 0
	if fn == "RegisterName" {
		argIdx = 1
	}
	if len(call.Args) <= argIdx {
		return Registration{}, false
	}
	t := types.Unalias(info.TypeOf(call.Args[argIdx]))
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		star = "*"
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || !inModule(m, n.Obj().Pkg().Path()) {
		return Registration{}, false
	}
	reg := Registration{Key: star + typeKey(m, n.Obj()), Type: star + n.Obj().Pkg().Path() + "." + n.Obj().Name()}
	if fn == "RegisterName" {
		tv := info.Types[call.Args[0]]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			return Registration{}, false
		}
		reg.Name = constant.StringVal(tv.Value)
		return reg, true
	}
	if star != "" {
		reg.Name = "*" + n.Obj().Pkg().Name() + "." + n.Obj().Name()
	} else {
		reg.Name = n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return reg, true
}

func shortFunc(full string) string {
	full = strings.ReplaceAll(full, "encoding/", "")
	return full
}
