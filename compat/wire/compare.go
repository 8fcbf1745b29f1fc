package wire

import (
	"errors"
	"fmt"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/compat/api"
	"github.com/upshift-dev/upshift/compat/report"
)

// ErrNoSerializedTypes is returned when neither side has a type that wire
// can see being serialized.
var ErrNoSerializedTypes = errors.New("no serialized types found")

// Analysis is what wire found in both sides before comparing.
type Analysis struct {
	Base, Head *api.Module
	// Roots are the serialized types of either side, by key.
	Roots []*Root
	// BaseRegs and HeadRegs are the gob registrations of each side.
	BaseRegs, HeadRegs []Registration
}

// Analyze finds the serialized types of both sides. Neither side having
// any is an error wrapping ErrNoSerializedTypes.
func Analyze(base, head *api.Module) (*Analysis, error) {
	broots, bregs := findRoots(base)
	hroots, hregs := findRoots(head)
	a := &Analysis{Base: base, Head: head, BaseRegs: bregs, HeadRegs: hregs}
	byKey := map[string]*Root{}
	for _, r := range append(broots, hroots...) {
		if prev, ok := byKey[r.Key]; ok {
			for _, c := range r.Codecs {
				if !slices.Contains(prev.Codecs, c) {
					prev.Codecs = append(prev.Codecs, c)
				}
			}
			continue
		}
		cp := *r
		cp.Codecs = slices.Clone(r.Codecs)
		byKey[r.Key] = &cp
		a.Roots = append(a.Roots, &cp)
	}
	if len(a.Roots) == 0 {
		return nil, fmt.Errorf("%w in %s or %s: wire looks for arguments of json and gob Marshal/Unmarshal/Encode/Decode/Register calls and for type declarations marked %s", ErrNoSerializedTypes, base.Label, head.Label, Marker)
	}
	for _, r := range a.Roots {
		slices.Sort(r.Codecs)
	}
	slices.SortFunc(a.Roots, func(x, y *Root) int { return strings.Compare(x.Key, y.Key) })
	return a, nil
}

// Compare reports the wire incompatibilities between the serialized types
// of base and head, for each codec the type is used with.
func Compare(a *Analysis) *report.Report {
	r := &report.Report{Command: "wire", Rules: Rules}
	builders := map[Codec][2]*builder{
		JSON: {newBuilder(a.Base, JSON), newBuilder(a.Head, JSON)},
		Gob:  {newBuilder(a.Base, Gob), newBuilder(a.Head, Gob)},
	}
	for _, root := range a.Roots {
		btn := lookupType(a.Base, root.Key)
		htn := lookupType(a.Head, root.Key)
		for _, codec := range root.Codecs {
			bb, hb := builders[codec][0], builders[codec][1]
			c := &comparer{codec: codec, base: a.Base, head: a.Head, seen: map[[2]*Schema]bool{}}
			switch {
			case btn == nil:
				continue // new in head: nothing old to read or write
			case htn == nil:
				c.group = string(codec) + " " + btn.Pkg().Path() + "." + btn.Name()
				c.symbol = btn.Pkg().Path() + "." + btn.Name()
				rule := JSONTypeRemoved
				if codec == Gob {
					rule = GobTypeRemoved
				}
				c.add(rule, report.Backward, "loud", "", fmt.Sprintf("serialized type %s no longer exists in head; data written by base cannot be read into it (if it was renamed, compare with a %s comment on both sides)", btn.Name(), Marker), bb.position(btn), nil)
			default:
				c.group = string(codec) + " " + btn.Pkg().Path() + "." + btn.Name()
				c.symbol = btn.Pkg().Path() + "." + btn.Name()
				c.compare(bb.schema(btn.Type()), hb.schema(htn.Type()), "", bb.position(btn), hb.position(htn))
			}
			r.Findings = append(r.Findings, c.findings...)
		}
	}
	r.Findings = append(r.Findings, compareRegistrations(a)...)
	for _, root := range a.Roots {
		r.Notes = append(r.Notes, fmt.Sprintf("%s (%s): %s", strings.TrimPrefix(root.Key, "/"), joinCodecs(root.Codecs), strings.Join(root.Why, "; ")))
	}
	r.Sort()
	Decide(r)
	return r
}

// Decide sets the verdict of a wire report from its unsuppressed findings.
func Decide(r *report.Report) {
	r.Reasons = nil
	dirs := map[report.Direction]int{}
	for _, f := range r.Findings {
		if f.Suppressed == "" && (f.Level == report.LevelError || f.Level == report.LevelWarning) && f.Direction != "" {
			dirs[f.Direction]++
		}
	}
	if !r.Incompatible() {
		r.Verdict = "compatible"
		return
	}
	r.Verdict = "incompatible"
	if dirs[report.Full] > 0 || dirs[report.Forward] > 0 && dirs[report.Backward] > 0 {
		r.Reasons = append(r.Reasons, "FULL: neither side can read all of the other's data; "+adviceFull)
	} else if dirs[report.Forward] > 0 {
		r.Reasons = append(r.Reasons, "FORWARD: base cannot read head data; "+adviceForward)
	} else if dirs[report.Backward] > 0 {
		r.Reasons = append(r.Reasons, "BACKWARD: head cannot read base data; "+adviceBackward)
	}
}

func joinCodecs(cs []Codec) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// lookupType finds the named type with the given key in m.
func lookupType(m *api.Module, key string) *types.TypeName {
	i := strings.LastIndex(key, ".")
	p := m.Package(key[:i])
	if p == nil {
		return nil
	}
	tn, _ := p.Types.Scope().Lookup(key[i+1:]).(*types.TypeName)
	return tn
}

// comparer compares the schemas of one root type for one codec.
type comparer struct {
	codec      Codec
	base, head *api.Module
	group      string
	symbol     string
	seen       map[[2]*Schema]bool
	findings   []report.Finding
}

func (c *comparer) add(rule string, dir report.Direction, loss, path, msg string, bpos, hpos *report.Position) {
	sym := c.symbol
	if path != "" {
		sym += "." + path
	}
	level := ruleLevel(rule)
	f := report.Finding{
		Rule: rule, Level: level, Group: c.group, Symbol: sym, Message: msg,
		Base: bpos, Head: hpos,
	}
	if level != report.LevelNote {
		f.Direction, f.Loss, f.Advice = dir, loss, advice(dir)
	}
	c.findings = append(c.findings, f)
}

// rule picks the JSON or gob variant of a rule.
func (c *comparer) rule(jsonRule, gobRule string) string {
	if c.codec == JSON {
		return jsonRule
	}
	return gobRule
}

func (c *comparer) compare(b, h *Schema, path string, bpos, hpos *report.Position) {
	if c.seen[[2]*Schema{b, h}] {
		return
	}
	c.seen[[2]*Schema{b, h}] = true
	if b.Pos != nil {
		bpos = b.Pos
	}
	if h.Pos != nil {
		hpos = h.Pos
	}
	what := path
	if what == "" {
		what = "the value"
	}

	if b.Kind == KindCustom || h.Kind == KindCustom {
		if b.Kind == h.Kind && b.Type == h.Type {
			return
		}
		c.add(c.rule(JSONCustomChanged, GobCustomChanged), report.Full, "loud", path,
			fmt.Sprintf("%s: encoding changed from %s to %s; the formats must be checked by hand or with -roundtrip", what, describe(b), describe(h)), bpos, hpos)
		return
	}
	if c.codec == JSON {
		c.compareJSON(b, h, path, what, bpos, hpos)
	} else {
		c.compareGob(b, h, path, what, bpos, hpos)
	}
}

// describe names a schema node for messages: the Go type, and how it is
// encoded when that is not obvious from the type.
func describe(s *Schema) string {
	switch s.Kind {
	case KindCustom:
		return fmt.Sprintf("%s (%s)", s.Type, s.Custom)
	case KindStruct, KindInterface, KindMap, KindSlice, KindArray, KindBytes:
		return s.Type
	}
	if s.Type == string(s.Kind) || strings.TrimRight(s.Type, "0123456789") == string(s.Kind) {
		return s.Type
	}
	return fmt.Sprintf("%s (%s)", s.Type, s.Kind)
}

// jsonClass is the JSON value class a kind is written as.
func jsonClass(k Kind) string {
	switch k {
	case KindInt, KindUint, KindFloat:
		return "number"
	case KindString, KindBytes:
		return "string"
	case KindStruct, KindMap:
		return "object"
	case KindSlice, KindArray:
		return "array"
	}
	return string(k)
}

func isNumber(k Kind) bool { return k == KindInt || k == KindUint || k == KindFloat }

func (c *comparer) compareJSON(b, h *Schema, path, what string, bpos, hpos *report.Position) {
	switch {
	case b.Kind == KindInterface && h.Kind == KindInterface:
		return
	case b.Kind == KindInterface || h.Kind == KindInterface:
		c.add(JSONInterface, report.Full, "silent", path, fmt.Sprintf("%s changed from %s to %s: an interface{} reads JSON as map[string]any/float64/string, a concrete type refuses other shapes", what, describe(b), describe(h)), bpos, hpos)
		return
	case (b.Kind == KindBytes) != (h.Kind == KindBytes) && jsonClass(b.Kind) == "string" && jsonClass(h.Kind) == "string":
		c.add(JSONBytesString, report.Full, "silent", path, fmt.Sprintf("%s changed from %s to %s: []byte is base64 text in JSON, so a string reads the base64 text silently and []byte rejects or garbles plain text", what, describe(b), describe(h)), bpos, hpos)
		return
	case isNumber(b.Kind) && isNumber(h.Kind):
		c.compareNumbers(b, h, path, what, bpos, hpos, JSONNarrowed, JSONWidened)
		return
	case jsonClass(b.Kind) != jsonClass(h.Kind):
		c.add(JSONKindChanged, report.Full, "loud", path, fmt.Sprintf("%s changed from %s (JSON %s) to %s (JSON %s): `json: cannot unmarshal %s into Go value of type %s` both ways", what, describe(b), jsonClass(b.Kind), describe(h), jsonClass(h.Kind), jsonClass(b.Kind), h.Type), bpos, hpos)
		return
	case b.Kind != h.Kind && (b.Kind == KindStruct || h.Kind == KindStruct):
		c.add(JSONKindChanged, report.Full, "silent", path, fmt.Sprintf("%s changed from %s to %s: both are JSON objects, but keys without a matching field are silently dropped", what, describe(b), describe(h)), bpos, hpos)
		return
	}
	switch b.Kind {
	case KindStruct:
		c.compareStructs(b, h, path, bpos, hpos)
	case KindMap:
		c.compare(b.Key, h.Key, joinPath(path, "[key]"), bpos, hpos)
		c.compare(b.Elem, h.Elem, joinPath(path, "[value]"), bpos, hpos)
	case KindSlice, KindArray:
		if b.Kind == KindArray && h.Kind == KindArray && b.Len != h.Len {
			dir := report.Backward
			if h.Len > b.Len {
				dir = report.Forward
			}
			c.add(JSONArrayLen, dir, "silent", path, fmt.Sprintf("%s array length changed from %d to %d: encoding/json drops extra elements and zeroes missing ones", what, b.Len, h.Len), bpos, hpos)
		}
		c.compare(b.Elem, h.Elem, path+"[]", bpos, hpos)
	}
}

func (c *comparer) compareGob(b, h *Schema, path, what string, bpos, hpos *report.Position) {
	switch {
	case isNumber(b.Kind) && b.Kind == h.Kind:
		c.compareNumbers(b, h, path, what, bpos, hpos, GobNarrowed, GobWidened)
		return
	case b.Kind != h.Kind:
		c.add(GobWrongType, report.Full, "loud", path, fmt.Sprintf("%s changed from %s to %s: `gob: wrong type` (or type mismatch) when either side reads the other's data", what, describe(b), describe(h)), bpos, hpos)
		return
	}
	switch b.Kind {
	case KindStruct:
		c.compareStructs(b, h, path, bpos, hpos)
	case KindMap:
		c.compare(b.Key, h.Key, joinPath(path, "[key]"), bpos, hpos)
		c.compare(b.Elem, h.Elem, joinPath(path, "[value]"), bpos, hpos)
	case KindSlice, KindArray:
		if b.Kind == KindArray && b.Len != h.Len {
			c.add(GobArrayLen, report.Full, "loud", path, fmt.Sprintf("%s array length changed from %d to %d: gob refuses arrays of another length", what, b.Len, h.Len), bpos, hpos)
		}
		c.compare(b.Elem, h.Elem, path+"[]", bpos, hpos)
	}
}

// holds reports whether every value of number schema y fits in x.
func holds(x, y *Schema) bool {
	mantissa := map[int]int{32: 24, 64: 53}
	switch x.Kind {
	case KindFloat:
		if y.Kind == KindFloat {
			return x.Bits >= y.Bits
		}
		return y.Bits <= mantissa[x.Bits]
	case KindInt:
		switch y.Kind {
		case KindInt:
			return x.Bits >= y.Bits
		case KindUint:
			return x.Bits > y.Bits
		}
	case KindUint:
		return y.Kind == KindUint && x.Bits >= y.Bits
	}
	return false
}

func (c *comparer) compareNumbers(b, h *Schema, path, what string, bpos, hpos *report.Position, narrowed, widened string) {
	headHolds, baseHolds := holds(h, b), holds(b, h)
	switch {
	case headHolds && baseHolds:
		return
	case !headHolds && !baseHolds:
		c.add(narrowed, report.Full, "silent", path, fmt.Sprintf("%s changed from %s to %s: neither type holds all values of the other; out-of-range values fail to decode or lose precision, after other fields were filled", what, b.Type, h.Type), bpos, hpos)
	case !headHolds:
		c.add(narrowed, report.Backward, "silent", path, fmt.Sprintf("%s narrowed from %s to %s: head fails on or loses old values that do not fit, after other fields were filled", what, b.Type, h.Type), bpos, hpos)
	default:
		c.add(widened, report.Forward, "silent", path, fmt.Sprintf("%s widened from %s to %s: base fails on or loses new values that do not fit", what, b.Type, h.Type), bpos, hpos)
	}
}

// compareStructs pairs fields by wire key (case-insensitively for JSON, as
// encoding/json v1 matches), then explains the unpaired ones: the same Go
// field under another key, a rename (one removed and one added field of
// the same type), a move between embedded and nested, a removal, an
// addition.
func (c *comparer) compareStructs(b, h *Schema, path string, bpos, hpos *report.Position) {
	matchedH := map[*Field]bool{}
	var unB []*Field
	matched := 0
	for _, bf := range b.Fields {
		hf := findField(h.Fields, bf.Key, false)
		if hf == nil && c.codec == JSON {
			hf = findField(h.Fields, bf.Key, true)
			if hf != nil && matchedH[hf] {
				hf = nil
			}
			if hf != nil {
				c.add(JSONKeyCase, "", "", joinPath(path, bf.GoName), fmt.Sprintf("JSON key changed case from %q to %q: encoding/json v1 matches keys case-insensitively, encoding/json/v2 does not", bf.Key, hf.Key), bf.Pos, hf.Pos)
			}
		}
		if hf == nil {
			unB = append(unB, bf)
			continue
		}
		matchedH[hf] = true
		matched++
		c.compareFields(bf, hf, path)
	}
	var unH []*Field
	for _, hf := range h.Fields {
		if !matchedH[hf] {
			unH = append(unH, hf)
		}
	}
	taken := map[*Field]bool{}
	var removed []*Field
	for _, bf := range unB {
		fpath := joinPath(path, bf.GoName)
		// The same Go field, written under another key.
		if hf := findGoName(unH, bf.GoName, taken); hf != nil {
			taken[hf] = true
			c.add(c.rule(JSONKeyChanged, GobRenamed), report.Full, "silent", fpath, fmt.Sprintf("key changed from %q to %q: each side silently drops the other's value", bf.Key, hf.Key), bf.Pos, hf.Pos)
			c.compareFields(bf, hf, path)
			continue
		}
		removed = append(removed, bf)
	}
	var gone []*Field
	for _, bf := range removed {
		fpath := joinPath(path, bf.GoName)
		// A rename: the only unpaired head field of the same type.
		if hf := renameCandidate(bf, removed, unH, taken); hf != nil {
			taken[hf] = true
			c.add(c.rule(JSONRenamed, GobRenamed), report.Full, "silent", fpath, fmt.Sprintf("field %s (key %q) renamed to %s (key %q): each side silently drops the other's value", bf.GoName, bf.Key, hf.GoName, hf.Key), bf.Pos, hf.Pos)
			continue
		}
		if c.codec == JSON {
			if hf := movedInto(bf, unH, taken); hf != nil {
				taken[hf] = true
				c.add(JSONMoved, report.Full, "silent", fpath, fmt.Sprintf("key %q moved into the nested object %q (embedding changed): each side silently drops the other's value", bf.Key, hf.Key), bf.Pos, hf.Pos)
				continue
			}
		}
		gone = append(gone, bf)
	}
	for _, bf := range gone {
		fpath := joinPath(path, bf.GoName)
		if c.codec == JSON {
			if bf2 := movedFrom(bf, unH, taken); bf2 != nil {
				taken[bf2] = true
				c.add(JSONMoved, report.Full, "silent", fpath, fmt.Sprintf("nested object %q flattened into promoted key %q (embedding changed): each side silently drops the other's value", bf.Key, bf2.Key), bf.Pos, bf2.Pos)
				continue
			}
		}
		msg := fmt.Sprintf("field %s (key %q) removed: base reads head data without it (zero value), and head drops it from base data", bf.GoName, bf.Key)
		if why, ok := h.Dropped[bf.GoName]; ok {
			msg = fmt.Sprintf("field %s (key %q) is no longer sent (%s): base reads head data without it (zero value)", bf.GoName, bf.Key, why)
		}
		c.add(c.rule(JSONRemoved, GobRemoved), report.Forward, "silent", fpath, msg, bf.Pos, hpos)
	}
	for _, hf := range unH {
		if taken[hf] {
			continue
		}
		c.add(c.rule(JSONAdded, GobAdded), "", "", joinPath(path, hf.GoName), fmt.Sprintf("field %s (key %q) added: head reads base data with its zero value, base ignores it", hf.GoName, hf.Key), bpos, hf.Pos)
	}
	if c.codec == Gob && matched == 0 && len(b.Fields) > 0 && len(h.Fields) > 0 {
		c.add(GobNoFieldsMatched, report.Full, "loud", path, "no field names in common: `gob: type mismatch: no fields matched` both ways", bpos, hpos)
	}
}

func (c *comparer) compareFields(bf, hf *Field, path string) {
	fpath := joinPath(path, bf.GoName)
	if c.codec == JSON {
		if bf.String != hf.String {
			c.add(JSONStringOption, report.Full, "loud", fpath, fmt.Sprintf("`,string` option %s: a quoted number does not decode into a bare one and back", onOff(hf.String)), bf.Pos, hf.Pos)
			return
		}
		if bf.OmitEmpty != hf.OmitEmpty {
			c.add(JSONOmitEmpty, "", "", fpath, fmt.Sprintf("omitempty %s: an absent key and a zero value read the same in v1", onOff(hf.OmitEmpty)), bf.Pos, hf.Pos)
		}
	}
	c.compare(bf.Schema, hf.Schema, fpath, bf.Pos, hf.Pos)
}

func onOff(added bool) string {
	if added {
		return "added"
	}
	return "removed"
}

func findField(fs []*Field, key string, fold bool) *Field {
	for _, f := range fs {
		if f.Key == key || fold && strings.EqualFold(f.Key, key) {
			return f
		}
	}
	return nil
}

func findGoName(fs []*Field, goName string, taken map[*Field]bool) *Field {
	for _, f := range fs {
		if !taken[f] && f.GoName == goName {
			return f
		}
	}
	return nil
}

// renameCandidate returns the head field bf was renamed to: an unpaired
// head field with the same wire type. When several removed and added
// fields share the type, fields pair by declaration order (the nearest
// index wins, and bf must be that field's nearest too), the usual shape
// of a rename in place.
func renameCandidate(bf *Field, removed, added []*Field, taken map[*Field]bool) *Field {
	nearest := func(f *Field, pool []*Field, skip map[*Field]bool) *Field {
		var best *Field
		for _, c := range pool {
			if skip[c] || !sameShape(f.Schema, c.Schema) {
				continue
			}
			if best == nil || abs(c.index-f.index) < abs(best.index-f.index) {
				best = c
			}
		}
		return best
	}
	hf := nearest(bf, added, taken)
	if hf == nil {
		return nil
	}
	if back := nearest(hf, removed, nil); back != bf {
		return nil
	}
	return hf
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func sameShape(a, b *Schema) bool {
	return a.Kind == b.Kind && a.Type == b.Type
}

// movedInto finds a head object field that now holds bf's key: a promoted
// field that became nested when an embedding was named.
func movedInto(bf *Field, added []*Field, taken map[*Field]bool) *Field {
	for _, hf := range added {
		if taken[hf] || hf.Schema.Kind != KindStruct {
			continue
		}
		if findField(hf.Schema.Fields, bf.Key, true) != nil {
			return hf
		}
	}
	return nil
}

// movedFrom finds a promoted head field whose key was nested in the base
// object field bf: an embedding that replaced a named field.
func movedFrom(bf *Field, added []*Field, taken map[*Field]bool) *Field {
	if bf.Schema.Kind != KindStruct {
		return nil
	}
	for _, hf := range added {
		if !taken[hf] && strings.Contains(hf.GoName, ".") && findField(bf.Schema.Fields, hf.Key, true) != nil {
			return hf
		}
	}
	return nil
}

// compareRegistrations compares gob.Register names of the same types.
func compareRegistrations(a *Analysis) []report.Finding {
	var out []report.Finding
	// Registrations pair by type, pointer or not: registering *T on one
	// side and T on the other is a name change.
	headByKey := map[string]Registration{}
	for _, r := range a.HeadRegs {
		headByKey[strings.TrimPrefix(r.Key, "*")] = r
	}
	baseByKey := map[string]Registration{}
	for _, r := range a.BaseRegs {
		baseByKey[strings.TrimPrefix(r.Key, "*")] = r
	}
	add := func(rule string, dir report.Direction, typ, msg string, bpos, hpos *report.Position) {
		f := report.Finding{
			Rule: rule, Level: ruleLevel(rule), Group: "gob registrations", Symbol: "gob.Register " + strings.TrimPrefix(typ, "*"),
			Message: msg, Base: bpos, Head: hpos,
		}
		if f.Level != report.LevelNote {
			f.Direction, f.Loss, f.Advice = dir, "loud", advice(dir)
		}
		out = append(out, f)
	}
	for _, br := range a.BaseRegs {
		hr, ok := headByKey[strings.TrimPrefix(br.Key, "*")]
		switch {
		case !ok:
			add(GobRegRemoved, report.Backward, br.Type, fmt.Sprintf("registration of %q removed: head fails on interface values in base data (`gob: name not registered for interface: %q`)", br.Name, br.Name), br.Pos, nil)
		case hr.Name != br.Name:
			add(GobRegNameChanged, report.Full, br.Type, fmt.Sprintf("registered name changed from %q to %q (a value type is registered by import path, a pointer by package name): interface values do not decode across versions", br.Name, hr.Name), br.Pos, hr.Pos)
		}
	}
	for _, hr := range a.HeadRegs {
		if _, ok := baseByKey[strings.TrimPrefix(hr.Key, "*")]; !ok {
			add(GobRegAdded, report.Forward, hr.Type, fmt.Sprintf("%q newly registered: base fails on interface values of this type in head data", hr.Name), nil, hr.Pos)
		}
	}
	return out
}
