package wiredrift

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/types/typeutil"
)

// jsonRule names one v1 -> v2 difference; it is also the category suffix.
type jsonRule string

const (
	ruleOmitEmpty jsonRule = "omitempty"
	ruleString    jsonRule = "string"
	ruleNil       jsonRule = "nil"
	ruleDuration  jsonRule = "duration"
	ruleByteArray jsonRule = "bytearray"
	ruleCase      jsonRule = "case"
	rulePtrMethod jsonRule = "ptrmethod"
)

// jsonFinding is one field (or value) whose JSON differs between v1 and v2.
type jsonFinding struct {
	Rule    jsonRule
	Field   *types.Var // nil for value-level findings (case, ptrmethod at the root)
	Owner   string     // type that declares Field
	At      ast.Node   // report position when the field is not in this package
	Call    *ast.CallExpr
	Message string // rule-specific text after the subject
	// Subject names what the message is about ("Config.Timeout").
	Subject string
	// Also lists further fields of other packages with the same drift at
	// the same call.
	Also []string
}

// jsonOptions is what the options of a v2 call say.
type jsonOptions struct {
	known         bool // every option could be read
	deterministic bool
	v1Defaults    bool
	off           map[jsonRule]bool
}

// readJSONOptions interprets v2 option arguments. Variables are followed to
// their definition in the same file; anything else makes the call unknown.
func (c *checker) readJSONOptions(call *ast.CallExpr, opts []ast.Expr) jsonOptions {
	res := jsonOptions{known: true, off: make(map[jsonRule]bool)}
	if call.Ellipsis.IsValid() {
		res.known = false
		return res
	}
	var visit func(e ast.Expr, depth int)
	visit = func(e ast.Expr, depth int) {
		if depth > 4 {
			res.known = false
			return
		}
		switch e := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			fn := typeutil.StaticCallee(c.info, e)
			if fn == nil || fn.Pkg() == nil || !strings.Contains(fn.Pkg().Path(), "json") {
				res.known = false
				return
			}
			on := len(e.Args) == 0 || !isConstFalse(c.info, e.Args[0])
			switch fn.Name() {
			case "JoinOptions":
				for _, a := range e.Args {
					visit(a, depth+1)
				}
			case "DefaultOptionsV1":
				res.v1Defaults = true
				res.deterministic = true
			case "DefaultOptionsV2":
				res.v1Defaults = false
			case "Deterministic":
				res.deterministic = res.deterministic || on
			case "OmitEmptyWithLegacySemantics":
				res.off[ruleOmitEmpty] = on
			case "StringifyWithLegacySemantics":
				res.off[ruleString] = on
			case "FormatNilSliceAsNull", "FormatNilMapAsNull":
				res.off[ruleNil] = on
			case "FormatDurationAsNano":
				res.off[ruleDuration] = on
			case "FormatByteArrayAsArray":
				res.off[ruleByteArray] = on
			case "MatchCaseInsensitiveNames":
				res.off[ruleCase] = on
			case "CallMethodsWithLegacySemantics":
				res.off[rulePtrMethod] = on
			case "OmitZeroStructFields":
				res.off[ruleOmitEmpty] = on
			case "WithMarshalers", "WithUnmarshalers":
				res.known = false // caller-defined encodings: unknown
			}
		case *ast.Ident:
			obj := c.info.ObjectOf(e)
			file := c.fileOf(e.Pos())
			if obj == nil || file == nil {
				res.known = false
				return
			}
			found := false
			inspectDefs(file, c.info, obj, func(rhs ast.Expr, field string) {
				if field == "" {
					found = true
					visit(rhs, depth+1)
				}
			})
			if !found {
				res.known = false
			}
		default:
			res.known = false
		}
	}
	for _, o := range opts {
		visit(o, 0)
	}
	return res
}

// jsonDeterministic reports whether a v2 Marshal call sorts map keys, or
// may: unknown options count as deterministic.
func (c *checker) jsonDeterministic(call *ast.CallExpr, opts []ast.Expr) bool {
	o := c.readJSONOptions(call, opts)
	return !o.known || o.deterministic
}

// jsonUse is one call that marshals or unmarshals a value.
type jsonUse struct {
	call    *ast.CallExpr
	value   ast.Expr
	data    ast.Expr // unmarshal input, when it is a []byte or string
	marshal bool
	opts    jsonOptions
}

// jsonUses finds the Marshal/Unmarshal calls whose types the v2 rules check:
// v2 calls always, v1 calls only when the module is declared to be moving
// to v2.
func (c *checker) jsonUses() []jsonUse {
	var uses []jsonUse
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := typeutil.StaticCallee(c.info, call)
			if fn == nil || fn.Pkg() == nil {
				return true
			}
			path, name := fn.Pkg().Path(), fn.Name()
			recv := fn.Signature().Recv()
			switch {
			case path == "encoding/json" && c.jsonv2Flag:
				u := jsonUse{call: call, opts: jsonOptions{known: true, off: map[jsonRule]bool{}}}
				switch {
				case recv == nil && (name == "Marshal" || name == "MarshalIndent") && len(call.Args) >= 1:
					u.value, u.marshal = call.Args[0], true
				case recv == nil && name == "Unmarshal" && len(call.Args) == 2:
					u.value, u.data = call.Args[1], call.Args[0]
				case recv != nil && name == "Encode" && kit.IsNamedOrPtr(recv.Type(), "encoding/json", "Encoder") && len(call.Args) == 1:
					u.value, u.marshal = call.Args[0], true
				case recv != nil && name == "Decode" && kit.IsNamedOrPtr(recv.Type(), "encoding/json", "Decoder") && len(call.Args) == 1:
					u.value, u.data = call.Args[0], c.decoderSource(call)
				default:
					return true
				}
				uses = append(uses, u)
			case isJSONv2Pkg(path) && recv == nil:
				u := jsonUse{call: call}
				var opts []ast.Expr
				switch name {
				case "Marshal":
					if len(call.Args) < 1 {
						return true
					}
					u.value, u.marshal, opts = call.Args[0], true, call.Args[1:]
				case "MarshalWrite", "MarshalEncode":
					if len(call.Args) < 2 {
						return true
					}
					u.value, u.marshal, opts = call.Args[1], true, call.Args[2:]
				case "Unmarshal", "UnmarshalRead", "UnmarshalDecode":
					if len(call.Args) < 2 {
						return true
					}
					u.value, opts = call.Args[1], call.Args[2:]
					if name == "Unmarshal" {
						u.data = call.Args[0]
					}
				default:
					return true
				}
				u.opts = c.readJSONOptions(call, opts)
				if !u.opts.known || u.opts.v1Defaults {
					return true
				}
				uses = append(uses, u)
			}
			return true
		})
	}
	return uses
}

// decoderSource returns the literal input of
// json.NewDecoder(strings.NewReader(x)).Decode(v), if visible.
func (c *checker) decoderSource(call *ast.CallExpr) ast.Expr {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	nd, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || !isPkgFunc(c.info, nd, "encoding/json", "NewDecoder") || len(nd.Args) != 1 {
		return nil
	}
	rd, ok := ast.Unparen(nd.Args[0]).(*ast.CallExpr)
	if !ok || len(rd.Args) != 1 {
		return nil
	}
	if isPkgFunc(c.info, rd, "strings", "NewReader") || isPkgFunc(c.info, rd, "bytes", "NewReader") || isPkgFunc(c.info, rd, "bytes", "NewBufferString") || isPkgFunc(c.info, rd, "bytes", "NewBuffer") {
		return rd.Args[0]
	}
	return nil
}

// jsonFindings runs the v1 -> v2 field rules over every use.
func (c *checker) jsonFindings() []jsonFinding {
	if !c.jsonv2Flag && !c.importsJSONv2() {
		return nil
	}
	var out []jsonFinding
	seen := make(map[string]bool)
	// Fields declared in other packages are reported at the call; one
	// diagnostic per call and rule lists them all.
	grouped := make(map[string]int)
	add := func(f jsonFinding) {
		key := string(f.Rule) + "|" + f.Subject + fmt.Sprintf("|%d", f.Call.Pos())
		if f.Field != nil {
			key = fmt.Sprintf("%s|%p", f.Rule, f.Field)
		}
		if seen[key] {
			return
		}
		seen[key] = true
		if f.Field != nil && f.Field.Pkg() != c.pass.Pkg {
			g := fmt.Sprintf("%s|%d", f.Rule, f.Call.Pos())
			if i, ok := grouped[g]; ok {
				out[i].Also = append(out[i].Also, f.Subject)
				return
			}
			grouped[g] = len(out)
		}
		out = append(out, f)
	}
	for _, u := range c.jsonUses() {
		t := c.info.TypeOf(u.value)
		if t == nil || isUnknownType(t) {
			continue
		}
		w := &jsonWalker{c: c, use: u, add: add, seen: make(map[walkKey]bool)}
		_, isPtr := t.Underlying().(*types.Pointer)
		if u.marshal && !isPtr {
			w.rootPtrMethod(t)
		}
		w.visit(t, isPtr)
		if !u.marshal && u.data != nil && !u.opts.off[ruleCase] {
			c.caseFindings(u, add)
		}
	}
	return out
}

func (c *checker) importsJSONv2() bool {
	for _, imp := range c.pass.Pkg.Imports() {
		if isJSONv2Pkg(imp.Path()) {
			return true
		}
	}
	return false
}

type walkKey struct {
	t    types.Type
	addr bool
}

type jsonWalker struct {
	c    *checker
	use  jsonUse
	add  func(jsonFinding)
	seen map[walkKey]bool
}

func (w *jsonWalker) on(r jsonRule) bool { return !w.use.opts.off[r] }

// rootPtrMethod reports a value passed by value whose MarshalJSON needs a
// pointer receiver.
func (w *jsonWalker) rootPtrMethod(t types.Type) {
	if !w.on(rulePtrMethod) {
		return
	}
	if m := ptrOnlyMarshaler(t); m != "" {
		name := w.c.typeName(t)
		w.add(jsonFinding{Rule: rulePtrMethod, Subject: name, At: w.use.value, Call: w.use.call,
			Message: fmt.Sprintf("%s has %s on the pointer receiver only and is marshalled by value here: v1 skips the method and writes the default form, json v2 always calls it; marshal a pointer or declare %s on the value receiver", name, m, m)})
	}
}

// ptrOnlyMarshaler returns the name of a JSON marshal method declared on *t
// but not on t.
func ptrOnlyMarshaler(t types.Type) string {
	t = types.Unalias(t)
	if _, ok := t.(*types.Named); !ok {
		return ""
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return ""
	}
	for _, m := range []string{"MarshalJSON", "MarshalText"} {
		valObj, _, _ := types.LookupFieldOrMethod(t, false, nil, m)
		ptrObj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, nil, m)
		if _, ok := valObj.(*types.Func); ok {
			return ""
		}
		if _, ok := ptrObj.(*types.Func); ok {
			return m
		}
	}
	return ""
}

func (w *jsonWalker) visit(t types.Type, addr bool) {
	t = types.Unalias(t)
	k := walkKey{t, addr}
	if w.seen[k] || len(w.seen) > 2000 {
		return
	}
	w.seen[k] = true
	if named, ok := t.(*types.Named); ok {
		if pkg := named.Obj().Pkg(); pkg == nil || w.c.isStd(pkg.Path()) {
			return
		}
	}
	if jsonMethods(t, w.use.marshal) {
		return
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		w.visit(u.Elem(), true)
	case *types.Slice:
		if !isByte(u.Elem()) {
			w.visit(u.Elem(), true)
		}
	case *types.Array:
		w.visit(u.Elem(), addr)
	case *types.Map:
		w.visit(u.Elem(), false)
	case *types.Struct:
		owner := w.c.typeName(t)
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			name, opts := parseJSONTag(u.Tag(i))
			if name == "-" && len(opts) == 0 {
				continue
			}
			if f.Embedded() && name == "" && isStructLike(f.Type()) {
				_, ptr := f.Type().Underlying().(*types.Pointer)
				w.visit(f.Type(), addr || ptr)
				continue
			}
			if !f.Exported() {
				continue
			}
			w.field(owner, f, opts, addr)
			w.visit(f.Type(), addr)
		}
	}
}

// field applies the per-field rules.
func (w *jsonWalker) field(owner string, f *types.Var, opts []string, addr bool) {
	has := func(o string) bool {
		for _, x := range opts {
			if x == o {
				return true
			}
		}
		return false
	}
	if has("inline") || has("unknown") {
		return // v2-only options: the field was written for v2
	}
	hasFormat := false
	for _, x := range opts {
		if strings.HasPrefix(x, "format:") {
			hasFormat = true
		}
	}
	ft := types.Unalias(f.Type())
	subject := owner + "." + f.Name()
	if strings.HasPrefix(owner, "struct{") {
		subject = "field " + f.Name() + " of an anonymous struct"
	}
	report := func(r jsonRule, msg string) {
		w.add(jsonFinding{Rule: r, Field: f, Owner: owner, Subject: subject, At: w.use.value, Call: w.use.call, Message: msg})
	}
	marshal := w.use.marshal
	custom := jsonMethods(ft, true) || jsonMethods(ft, false)

	if marshal && has("omitempty") && !has("omitzero") && w.on(ruleOmitEmpty) {
		if msg := w.omitEmpty(f, ft, custom); msg != "" {
			report(ruleOmitEmpty, subject+msg)
		}
	}
	if marshal && !has("omitempty") && !has("omitzero") && !hasFormat && !custom && w.on(ruleNil) {
		switch u := ft.Underlying().(type) {
		case *types.Slice:
			if isByte(u.Elem()) {
				report(ruleNil, fmt.Sprintf("%s (%s) has no omitempty: v1 writes null for a nil slice, json v2 writes \"\"; add `format:emitnull` to keep null, or omitempty to drop it in both", subject, w.c.typeName(ft)))
			} else {
				report(ruleNil, fmt.Sprintf("%s (%s) has no omitempty: v1 writes null for a nil slice, json v2 writes []; add `format:emitnull` to keep null, or omitempty to drop it in both", subject, w.c.typeName(ft)))
			}
		case *types.Map:
			report(ruleNil, fmt.Sprintf("%s (%s) has no omitempty: v1 writes null for a nil map, json v2 writes {}; add `format:emitnull` to keep null, or omitempty to drop it in both", subject, w.c.typeName(ft)))
		}
	}
	if marshal && !addr && w.on(rulePtrMethod) {
		if m := ptrOnlyMarshaler(ft); m != "" {
			report(rulePtrMethod, fmt.Sprintf("%s (%s) has %s on the pointer receiver only and sits in a value marshalled without a pointer: v1 skips the method and writes the default form, json v2 always calls it; marshal a pointer or declare %s on the value receiver", subject, w.c.typeName(ft), m, m))
		}
	}
	if has("string") && w.on(ruleString) {
		if msg := stringOptionDrift(ft); msg != "" {
			report(ruleString, subject+msg)
		}
	}
	base := ft
	if p, ok := ft.Underlying().(*types.Pointer); ok {
		base = types.Unalias(p.Elem())
	}
	if kit.IsNamedOrPtr(base, "time", "Duration") && !hasFormat && w.on(ruleDuration) {
		report(ruleDuration, fmt.Sprintf("%s is a time.Duration: v1 writes it as integer nanoseconds, json v2 has no default Duration format and fails to %s; add `format:nano` to keep v1's numbers", subject, map[bool]string{true: "marshal it", false: "decode any value given for it"}[marshal]))
	}
	if a, ok := base.Underlying().(*types.Array); ok && isByte(a.Elem()) && a.Len() > 0 && !hasFormat && !custom && w.on(ruleByteArray) {
		report(ruleByteArray, fmt.Sprintf("%s is %s: v1 writes it as an array of numbers, json v2 as a base64 string and rejects arrays on input; add `format:array` to keep v1's form", subject, w.c.typeName(base)))
	}
}

// omitEmpty returns the rest of the message for omitempty drift on a field
// of type ft, or "".
func (w *jsonWalker) omitEmpty(f *types.Var, ft types.Type, custom bool) string {
	if kit.IsNamedOrPtr(ft, "time", "Time") {
		if _, isPtr := ft.Underlying().(*types.Pointer); isPtr {
			return ""
		}
		return " has omitempty on time.Time: it never omits in v1 or json v2 (a time encodes as a non-empty string), so the zero time is written as \"0001-01-01T00:00:00Z\"; use omitzero" + w.omitzeroNote(f)
	}
	if custom {
		return "" // the methods decide what the value encodes to
	}
	switch u := ft.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return " has omitempty on a bool: v1 omits false, json v2 writes false (omitempty now omits only null, \"\", {} and []); use omitzero" + w.omitzeroNote(f)
		case u.Info()&types.IsNumeric != 0:
			return fmt.Sprintf(" has omitempty on %s: v1 omits 0, json v2 writes 0 (omitempty now omits only null, \"\", {} and []); use omitzero%s", w.c.typeName(ft), w.omitzeroNote(f))
		}
	case *types.Struct:
		if canEncodeEmpty(u) {
			return fmt.Sprintf(" has omitempty on struct %s: v1 always writes it, json v2 omits it when it encodes as {}; use omitzero to omit only the zero value, or drop omitempty to keep writing it%s", w.c.typeName(ft), w.omitzeroNote(f))
		}
	case *types.Interface:
		return ""
	case *types.Pointer:
		elem := u.Elem()
		if jsonMethods(elem, true) {
			return ""
		}
		var empty string
		switch eu := elem.Underlying().(type) {
		case *types.Basic:
			if eu.Info()&types.IsString != 0 {
				empty = `""`
			}
		case *types.Slice:
			empty = "an empty slice"
		case *types.Map:
			empty = "an empty map"
		case *types.Struct:
			if canEncodeEmpty(eu) {
				empty = "a struct that encodes as {}"
			}
		}
		if empty != "" {
			return fmt.Sprintf(" has omitempty on %s: v1 omits only nil, json v2 also omits a pointer to %s; use omitzero to omit only nil%s", w.c.typeString(ft), empty, w.omitzeroNote(f))
		}
	}
	return ""
}

// omitzeroNote warns when the declaring file's Go version predates
// encoding/json v1's support for omitzero.
func (w *jsonWalker) omitzeroNote(f *types.Var) string {
	file := w.c.fileOf(f.Pos())
	if file == nil {
		file = w.c.fileOf(w.use.call.Pos())
	}
	if file == nil {
		return ""
	}
	v := w.c.info.FileVersions[file]
	if v != "" && version.Compare(v, "go1.24") < 0 {
		return " (encoding/json v1 honours omitzero only from Go 1.24; this file's Go version is " + strings.TrimPrefix(v, "go") + ")"
	}
	return ""
}

// canEncodeEmpty reports whether every JSON field of s may be omitted, so
// that s can encode as {}.
func canEncodeEmpty(s *types.Struct) bool {
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		name, opts := parseJSONTag(s.Tag(i))
		if name == "-" && len(opts) == 0 {
			continue
		}
		if f.Embedded() && name == "" {
			if inner, ok := derefType(f.Type()).Underlying().(*types.Struct); ok {
				if !canEncodeEmpty(inner) {
					return false
				}
				continue
			}
		}
		if !f.Exported() {
			continue
		}
		omit := false
		for _, o := range opts {
			if o == "omitempty" || o == "omitzero" {
				omit = true
			}
		}
		if !omit {
			return false
		}
	}
	return true
}

// stringOptionDrift returns the rest of the message for a ,string field
// whose encoding differs, or "".
func stringOptionDrift(ft types.Type) string {
	t := ft
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if jsonMethods(t, true) {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return " has ,string on a bool: v1 writes \"true\", json v2 applies ,string only to numbers and writes true (and rejects \"true\" on input); drop ,string, or keep v1's form with jsonv1.StringifyWithLegacySemantics(true)"
		case u.Info()&types.IsString != 0:
			return " has ,string on a string: v1 writes a JSON-quoted string inside a string, json v2 applies ,string only to numbers and writes the plain string; drop ,string, or keep v1's form with jsonv1.StringifyWithLegacySemantics(true)"
		}
	case *types.Slice, *types.Array, *types.Map:
		var elem types.Type
		switch u := u.(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		case *types.Map:
			elem = u.Elem()
		}
		if b, ok := elem.Underlying().(*types.Basic); ok && b.Info()&types.IsNumeric != 0 && !isByte(elem) {
			return " has ,string on a composite of numbers: v1 ignores it and writes plain numbers, json v2 quotes every number inside; drop ,string to keep numbers"
		}
	}
	return ""
}

// parseJSONTag splits a json struct tag into name and options; v2 allows a
// single-quoted name.
func parseJSONTag(tag string) (string, []string) {
	v, ok := reflect.StructTag(tag).Lookup("json")
	if !ok {
		return "", nil
	}
	var name string
	if strings.HasPrefix(v, "'") {
		if end := strings.Index(v[1:], "'"); end >= 0 {
			name, v = v[1:end+1], v[end+2:]
			v = strings.TrimPrefix(v, ",")
			if v == "" {
				return name, nil
			}
			return name, strings.Split(v, ",")
		}
	}
	parts := strings.Split(v, ",")
	return parts[0], parts[1:]
}

// caseFindings decodes a JSON literal that the package unmarshals and
// reports keys that reach a field only through v1's case folding.
func (c *checker) caseFindings(u jsonUse, add func(jsonFinding)) {
	lit, ok := c.literalText(u.data)
	if !ok {
		return
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(lit)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return
	}
	t := c.info.TypeOf(u.value)
	if t == nil {
		return
	}
	seen := make(map[types.Type]bool)
	var match func(t types.Type, v any)
	match = func(t types.Type, v any) {
		t = types.Unalias(t)
		if p, ok := t.Underlying().(*types.Pointer); ok {
			match(p.Elem(), v)
			return
		}
		if jsonMethods(t, false) {
			return
		}
		switch tu := t.Underlying().(type) {
		case *types.Slice:
			if arr, ok := v.([]any); ok {
				for _, e := range arr {
					match(tu.Elem(), e)
				}
			}
		case *types.Map:
			if obj, ok := v.(map[string]any); ok {
				for _, e := range obj {
					match(tu.Elem(), e)
				}
			}
		case *types.Struct:
			obj, ok := v.(map[string]any)
			if !ok || seen[t] {
				return
			}
			seen[t] = true
			fields := jsonFieldNames(tu)
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if jf, ok := fields[k]; ok {
					match(jf.v.Type(), obj[k])
					continue
				}
				for _, name := range sortedNames(fields) {
					jf := fields[name]
					if !strings.EqualFold(name, k) || jf.caseIgnore {
						continue
					}
					owner := c.typeName(t)
					add(jsonFinding{Rule: ruleCase, Subject: owner + "." + jf.v.Name() + "|" + k, At: u.data, Call: u.call,
						Message: fmt.Sprintf("JSON key %q decoded here matches field %s.%s (JSON name %q) only case-insensitively: v1 fills it, json v2 matches names exactly and leaves it zero; tag the field `json:%s` or add `case:ignore`", k, owner, jf.v.Name(), name, strconv.Quote(k))})
					match(jf.v.Type(), obj[k])
					break
				}
			}
		}
	}
	match(t, v)
}

type jsonField struct {
	v          *types.Var
	caseIgnore bool
}

// jsonFieldNames maps the JSON names of s's fields (with embedded structs
// inlined) to the fields.
func jsonFieldNames(s *types.Struct) map[string]jsonField {
	out := make(map[string]jsonField)
	var add func(s *types.Struct, depth int)
	add = func(s *types.Struct, depth int) {
		if depth > 8 {
			return
		}
		for i := 0; i < s.NumFields(); i++ {
			f := s.Field(i)
			name, opts := parseJSONTag(s.Tag(i))
			if name == "-" && len(opts) == 0 {
				continue
			}
			if f.Embedded() && name == "" {
				if inner, ok := derefType(f.Type()).Underlying().(*types.Struct); ok {
					add(inner, depth+1)
					continue
				}
			}
			if !f.Exported() {
				continue
			}
			if name == "" {
				name = f.Name()
			}
			ci := false
			for _, o := range opts {
				if o == "case:ignore" {
					ci = true
				}
			}
			if _, dup := out[name]; !dup {
				out[name] = jsonField{v: f, caseIgnore: ci}
			}
		}
	}
	add(s, 0)
	return out
}

func sortedNames(m map[string]jsonField) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// literalText returns the constant text of e: a string constant, a
// []byte conversion of one, or a variable initialised with one in the same
// file and never reassigned.
func (c *checker) literalText(e ast.Expr) (string, bool) {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if tv, ok := c.info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
			e = ast.Unparen(call.Args[0])
		}
	}
	if s, ok := constString(c.info, e); ok {
		return s, true
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return "", false
	}
	obj := c.info.ObjectOf(id)
	file := c.fileOf(id.Pos())
	if obj == nil || file == nil {
		return "", false
	}
	var text string
	defs := 0
	ok = true
	inspectDefs(file, c.info, obj, func(rhs ast.Expr, field string) {
		defs++
		if field != "" {
			ok = false
			return
		}
		rhs = ast.Unparen(rhs)
		if call, isCall := rhs.(*ast.CallExpr); isCall {
			if tv, isType := c.info.Types[call.Fun]; isType && tv.IsType() && len(call.Args) == 1 {
				rhs = call.Args[0]
			}
		}
		s, isConst := constString(c.info, rhs)
		if !isConst {
			ok = false
		}
		text = s
	})
	if defs != 1 || !ok {
		return "", false
	}
	return text, true
}

// fileOf returns the file of this package that contains pos.
func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
