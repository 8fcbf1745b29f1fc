package iterchange

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// findNilCollect reports slices.Collect and slices.Sorted* results that may be
// nil and reach JSON encoding or a comparison with a non-nil empty slice.
func findNilCollect(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(pass.TypesInfo, call)
		if !kit.IsPkgFunc(fn, "slices", "Collect", "Sorted", "SortedFunc", "SortedStableFunc") || len(call.Args) == 0 {
			continue
		}
		body, ok := enclosingBody(cur)
		if !ok {
			continue
		}
		if provablyNonEmpty(pass, cur, call.Args[0]) {
			continue
		}
		s, ok := newFlow(pass, body).sinkOf(cur, 0, false)
		if !ok {
			continue
		}
		out = append(out, finding{
			kind:   kindNilCollect,
			hazard: call,
			sink:   s.node,
			message: fmt.Sprintf("slices.%s returns nil for an empty sequence and the result reaches %s: %s; "+
				"keep it non-nil (slices.AppendSeq(make([]T, 0), seq), or set it to []T{} when empty)%s",
				fn.Name(), s.what, s.consequence(), s.extraFix()),
			sinkNote: s.note(),
		})
	}
	return out
}

// provablyNonEmpty reports whether the sequence seq collected by the call at
// cur cannot be empty: a non-empty literal behind it, a split with a
// non-empty separator, or a len check on its container that rules the
// empty case out before the call.
func provablyNonEmpty(pass *analysis.Pass, cur inspector.Cursor, seq ast.Expr) bool {
	seqCall, ok := ast.Unparen(seq).(*ast.CallExpr)
	if !ok || len(seqCall.Args) == 0 {
		return false
	}
	fn := kit.Callee(pass.TypesInfo, seqCall)
	if kit.IsPkgFunc(fn, "strings", "SplitSeq", "SplitAfterSeq") || kit.IsPkgFunc(fn, "bytes", "SplitSeq", "SplitAfterSeq") {
		if len(seqCall.Args) == 2 {
			tv := pass.TypesInfo.Types[seqCall.Args[1]]
			return tv.Value != nil && tv.Value.ExactString() != `""`
		}
		return false
	}
	if !kit.IsPkgFunc(fn, "maps", "Keys", "Values", "All") && !kit.IsPkgFunc(fn, "slices", "Values", "All", "Backward") {
		return false
	}
	container := ast.Unparen(seqCall.Args[0])
	if lit, ok := container.(*ast.CompositeLit); ok {
		return len(lit.Elts) > 0
	}
	want := types.ExprString(container)
	// An enclosing "if len(m) > 0 {" around the call.
	for c := range cur.Enclosing((*ast.IfStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		ifs, ok := c.Node().(*ast.IfStmt)
		if !ok {
			break
		}
		if !inNode(ifs.Body, cur.Node()) {
			continue
		}
		for _, cond := range conditions(ifs.Cond) {
			if x, whenEmpty, ok := lenOnly(cond); ok && !whenEmpty && x == want {
				return true
			}
		}
	}
	// An earlier "if len(m) == 0 { return ... }" in the same function.
	body, ok := enclosingBody(cur)
	if !ok {
		return false
	}
	for c := range body.Preorder((*ast.IfStmt)(nil)) {
		ifs := c.Node().(*ast.IfStmt)
		if ifs.End() > cur.Node().Pos() || !terminates(pass.TypesInfo, ifs.Body) {
			continue
		}
		for _, cond := range conditions(ifs.Cond) {
			if x, whenEmpty, ok := lenOnly(cond); ok && whenEmpty && x == want {
				return true
			}
		}
	}
	return false
}

func inNode(outer, inner ast.Node) bool {
	return outer != nil && outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

// sink is where a possibly nil slice changes observable behaviour.
type sink struct {
	node ast.Node
	// what names the sink for the message, e.g. "json.Marshal" or
	// `field Names (json:"names")`.
	what string
	// json is true for JSON output, false for an equality check.
	json bool
	// field is set when the sink is a struct field with a json tag.
	field bool
	// empty renders the empty slice an equality check compares with.
	empty string
}

func (s sink) consequence() string {
	switch {
	case s.json:
		return "the JSON output becomes null where it was []"
	default:
		return fmt.Sprintf("the comparison with %s fails for an empty result where the old empty slice matched", s.empty)
	}
}

func (s sink) extraFix() string {
	if s.field {
		return " or tag the field omitempty"
	}
	return ""
}

func (s sink) note() string {
	switch {
	case s.field:
		return "encoded to JSON through this field"
	case s.json:
		return "JSON encoding here"
	default:
		return "compared here with " + s.empty
	}
}

// flow follows a slice value forward inside one function body to a sink.
type flow struct {
	pass *analysis.Pass
	body inspector.Cursor
}

func newFlow(pass *analysis.Pass, body inspector.Cursor) *flow {
	return &flow{pass: pass, body: body}
}

// maxFlowDepth bounds how many variables and literals a value is followed
// through; real hazards are a hop or two away from the collect call.
const maxFlowDepth = 4

// sinkOf returns the sink the value of the expression at cur reaches. With
// jsonOnly, only JSON sinks count: the value is then a struct or map that
// holds the slice, and equality checks on it are out of scope.
func (f *flow) sinkOf(cur inspector.Cursor, depth int, jsonOnly bool) (sink, bool) {
	if depth > maxFlowDepth {
		return sink{}, false
	}
	expr := cur
	parent := cur.Parent()
	for {
		switch p := parent.Node().(type) {
		case *ast.ParenExpr:
			expr, parent = parent, parent.Parent()
			continue
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				expr, parent = parent, parent.Parent()
				continue
			}
		}
		break
	}
	e, ok := expr.Node().(ast.Expr)
	if !ok {
		return sink{}, false
	}
	switch p := parent.Node().(type) {
	case *ast.CallExpr:
		if p.Fun == e {
			return sink{}, false
		}
		s, ok := f.callSink(p, e)
		if ok && jsonOnly && !s.json {
			return sink{}, false
		}
		return s, ok
	case *ast.KeyValueExpr:
		if p.Value != e {
			return sink{}, false
		}
		lit, ok := parent.Parent().Node().(*ast.CompositeLit)
		if !ok {
			return sink{}, false
		}
		return f.elementSink(parent.Parent(), lit, p.Key, -1, depth)
	case *ast.CompositeLit:
		for i, elt := range p.Elts {
			if elt == e {
				return f.elementSink(parent, p, nil, i, depth)
			}
		}
	case *ast.AssignStmt:
		if p.Tok != token.ASSIGN && p.Tok != token.DEFINE || len(p.Lhs) != len(p.Rhs) {
			return sink{}, false
		}
		for i, rhs := range p.Rhs {
			if rhs == e {
				return f.assignSink(p.Lhs[i], p, depth, jsonOnly)
			}
		}
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == e && i < len(p.Names) && len(p.Names) == len(p.Values) {
				return f.varSink(f.pass.TypesInfo.Defs[p.Names[i]], p.End(), depth, jsonOnly)
			}
		}
	}
	return sink{}, false
}

// callSink reports whether passing arg to call encodes it as JSON or
// compares it with a non-nil empty slice.
func (f *flow) callSink(call *ast.CallExpr, arg ast.Expr) (sink, bool) {
	fn := kit.Callee(f.pass.TypesInfo, call)
	if fn == nil {
		return sink{}, false
	}
	argIndex := -1
	for i, a := range call.Args {
		if a == arg {
			argIndex = i
		}
	}
	switch {
	case kit.IsPkgFunc(fn, "encoding/json", "Marshal", "MarshalIndent"),
		kit.IsMethod(fn, "encoding/json", "Encoder", "Encode"):
		if argIndex == 0 {
			what := "json." + fn.Name()
			if fn.Signature().Recv() != nil {
				what = render(call.Fun)
			}
			return sink{node: call, what: what, json: true}, true
		}
	case isFrameworkJSON(fn):
		if argIndex == len(call.Args)-1 {
			return sink{node: call, what: render(call.Fun), json: true}, true
		}
	case kit.IsPkgFunc(fn, "reflect", "DeepEqual"),
		kit.IsPkgFunc(fn, "github.com/google/go-cmp/cmp", "Equal", "Diff") && len(call.Args) == 2:
		if argIndex == 0 || argIndex == 1 {
			return f.equalitySink(call, fn, call.Args[1-argIndex])
		}
	case isTestifyEquality(fn):
		a, _ := kit.TestifyAssertion(fn)
		if argIndex == a.First || argIndex == a.First+1 {
			return f.equalitySink(call, fn, call.Args[2*a.First+1-argIndex])
		}
	}
	return sink{}, false
}

// isTestifyEquality reports whether fn is testify's Equal, EqualValues or
// Exactly (or their f variants), which tell nil from empty slices apart.
func isTestifyEquality(fn *types.Func) bool {
	a, ok := kit.TestifyAssertion(fn)
	return ok && (a.Name == "Equal" || a.Name == "EqualValues" || a.Name == "Exactly")
}

func (f *flow) equalitySink(call *ast.CallExpr, fn *types.Func, other ast.Expr) (sink, bool) {
	empty, ok := f.emptyNonNil(other)
	if !ok {
		return sink{}, false
	}
	return sink{node: call, what: fn.Pkg().Name() + "." + fn.Name(), empty: empty}, true
}

// isFrameworkJSON matches the JSON response helpers of web frameworks (gin's
// c.JSON(code, obj), echo's c.JSON(code, i)...): a method named like JSON
// whose last parameter is an empty interface.
func isFrameworkJSON(fn *types.Func) bool {
	switch fn.Name() {
	case "JSON", "IndentedJSON", "PureJSON", "JSONPretty", "SecureJSON":
	default:
		return false
	}
	sig := fn.Signature()
	if sig.Recv() == nil || sig.Params().Len() == 0 {
		return false
	}
	iface, ok := sig.Params().At(sig.Params().Len() - 1).Type().Underlying().(*types.Interface)
	return ok && iface.Empty()
}

// emptyNonNil reports whether e is a non-nil empty slice: []T{}, make([]T, 0)
// or a variable defined once from one of these.
func (f *flow) emptyNonNil(e ast.Expr) (string, bool) {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		obj := f.pass.TypesInfo.Uses[id]
		if obj == nil {
			return "", false
		}
		def := f.singleDefinition(obj)
		if def == nil {
			return "", false
		}
		e = ast.Unparen(def)
	}
	if _, ok := f.pass.TypesInfo.TypeOf(e).Underlying().(*types.Slice); !ok {
		return "", false
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		if len(x.Elts) == 0 {
			return types.ExprString(x), true
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "make" && len(x.Args) >= 2 {
			if tv := f.pass.TypesInfo.Types[x.Args[1]]; tv.Value != nil && tv.Value.ExactString() == "0" {
				return types.ExprString(x), true
			}
		}
	}
	return "", false
}

// elementSink handles the slice stored as element key (or index i) of the
// composite literal lit at litCur.
func (f *flow) elementSink(litCur inspector.Cursor, lit *ast.CompositeLit, key ast.Expr, index, depth int) (sink, bool) {
	t := f.pass.TypesInfo.TypeOf(lit)
	if t == nil {
		return sink{}, false
	}
	switch u := kit.Deref(t).Underlying().(type) {
	case *types.Struct:
		field := -1
		if id, ok := key.(*ast.Ident); ok {
			for i := range u.NumFields() {
				if u.Field(i).Name() == id.Name {
					field = i
				}
			}
		} else if key == nil {
			field = index
		}
		if field < 0 || field >= u.NumFields() {
			return sink{}, false
		}
		return f.fieldSink(u, field, lit.Elts[elementIndex(lit, key, index)], func() (sink, bool) {
			return f.sinkOf(litCur, depth+1, true)
		})
	case *types.Map, *types.Slice:
		// map[string]any{"names": names} or []any{names}: only JSON
		// encoding of the whole literal makes the nil visible.
		return f.sinkOf(litCur, depth+1, true)
	}
	return sink{}, false
}

// fieldSink decides whether storing the slice in field i of struct st (at
// node at) is a sink: a json tag without omitempty/omitzero is one on its
// own; an untagged exported field is one when the struct holding it reaches
// JSON encoding, which holder finds out.
func (f *flow) fieldSink(st *types.Struct, i int, at ast.Node, holder func() (sink, bool)) (sink, bool) {
	v := st.Field(i)
	if !v.Exported() {
		return sink{}, false
	}
	tag, hasTag := reflect.StructTag(st.Tag(i)).Lookup("json")
	if !hasTag {
		return holder()
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "-" && opts == "" {
		return sink{}, false
	}
	for _, o := range strings.Split(opts, ",") {
		if o == "omitempty" || o == "omitzero" {
			return sink{}, false
		}
	}
	return sink{
		node:  at,
		what:  fmt.Sprintf("field %s (json:%q)", v.Name(), tag),
		json:  true,
		field: true,
	}, true
}

// assignSink handles "lhs = value".
func (f *flow) assignSink(lhs ast.Expr, stmt *ast.AssignStmt, depth int, jsonOnly bool) (sink, bool) {
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		return f.varSink(f.pass.TypesInfo.ObjectOf(l), stmt.End(), depth, jsonOnly)
	case *ast.SelectorExpr:
		sel := f.pass.TypesInfo.Selections[l]
		if sel == nil || sel.Kind() != types.FieldVal {
			return sink{}, false
		}
		if f.guardedExpr(types.ExprString(l), stmt) {
			return sink{}, false
		}
		st, i, ok := fieldOfSelection(sel)
		if !ok {
			return sink{}, false
		}
		// resp.Names = names, with resp encoded later.
		holder := func() (sink, bool) {
			id, ok := ast.Unparen(l.X).(*ast.Ident)
			if !ok || f.pass.TypesInfo.Uses[id] == nil {
				return sink{}, false
			}
			return f.varSink(f.pass.TypesInfo.Uses[id], stmt.End(), depth, true)
		}
		return f.fieldSink(st, i, l, holder)
	case *ast.IndexExpr:
		// payload["names"] = names, with payload encoded later.
		if _, isMap := f.pass.TypesInfo.TypeOf(l.X).Underlying().(*types.Map); !isMap {
			return sink{}, false
		}
		if id, ok := ast.Unparen(l.X).(*ast.Ident); ok && f.pass.TypesInfo.Uses[id] != nil {
			return f.varSink(f.pass.TypesInfo.Uses[id], stmt.End(), depth, true)
		}
	}
	return sink{}, false
}

// elementIndex returns the index in lit.Elts of the element for key (or the
// positional index when key is nil).
func elementIndex(lit *ast.CompositeLit, key ast.Expr, index int) int {
	if key == nil {
		return index
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok && kv.Key == key {
			return i
		}
	}
	return 0
}

// fieldOfSelection returns the struct and index of the field a selection
// ends at, walking embedded fields.
func fieldOfSelection(sel *types.Selection) (*types.Struct, int, bool) {
	t := sel.Recv()
	path := sel.Index()
	for k, idx := range path {
		st, ok := kit.Deref(t).Underlying().(*types.Struct)
		if !ok || idx >= st.NumFields() {
			return nil, 0, false
		}
		if k == len(path)-1 {
			return st, idx, true
		}
		t = st.Field(idx).Type()
	}
	return nil, 0, false
}

// varSink follows the local variable obj from position from onwards.
func (f *flow) varSink(obj types.Object, from token.Pos, depth int, jsonOnly bool) (sink, bool) {
	v, ok := obj.(*types.Var)
	if !ok || v.Name() == "_" || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return sink{}, false
	}
	if f.guardedVar(v, jsonOnly) {
		return sink{}, false
	}
	for c := range f.body.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if id.Pos() < from || f.pass.TypesInfo.Uses[id] != v {
			continue
		}
		if s, ok := f.sinkOf(c, depth+1, jsonOnly); ok {
			return s, true
		}
	}
	return sink{}, false
}

// guardedVar reports whether the code handles the empty case of v itself or
// may replace its value: v is assigned more than once, or, for the slice
// itself (not a holder), has its address taken or is compared with nil or by
// length with zero.
func (f *flow) guardedVar(v *types.Var, holder bool) bool {
	assigns := 0
	guarded := false
	for c := range f.body.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil), (*ast.BinaryExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && f.pass.TypesInfo.ObjectOf(id) == v {
					assigns++
				}
			}
		case *ast.ValueSpec:
			// "var names []string" alone is a declaration, not a value.
			for _, id := range n.Names {
				if f.pass.TypesInfo.Defs[id] == v && len(n.Values) > 0 {
					assigns++
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && !holder && n.Op == token.AND && f.pass.TypesInfo.Uses[id] == v {
				// json.Marshal(&names) only reads it; any other
				// pointer may be used to replace the value.
				guarded = true
				if call, isCall := c.Parent().Node().(*ast.CallExpr); isCall {
					s, ok := f.callSink(call, n)
					guarded = !ok || !s.json
				}
			}
		case *ast.BinaryExpr:
			if x, _, ok := lenComparison(n); ok && !holder && x == v.Name() {
				guarded = true
			}
		}
		if guarded || assigns > 1 {
			return true
		}
	}
	return false
}

// guardedExpr is guardedVar for a field expression such as resp.Names,
// matched by its text after stmt.
func (f *flow) guardedExpr(text string, stmt ast.Node) bool {
	for c := range f.body.Preorder((*ast.AssignStmt)(nil), (*ast.BinaryExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			if n == stmt || n.Pos() < stmt.Pos() {
				continue
			}
			for _, l := range n.Lhs {
				if types.ExprString(l) == text {
					return true
				}
			}
		case *ast.BinaryExpr:
			if x, _, ok := lenComparison(n); ok && x == text {
				return true
			}
		}
	}
	return false
}

// singleDefinition returns the initial value of a local variable that is
// never assigned again, nil otherwise.
func (f *flow) singleDefinition(obj types.Object) ast.Expr {
	v, ok := obj.(*types.Var)
	if !ok || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	var def ast.Expr
	count := 0
	for c := range f.body.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && f.pass.TypesInfo.ObjectOf(id) == v {
					count++
					if len(n.Lhs) == len(n.Rhs) {
						def = n.Rhs[i]
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if f.pass.TypesInfo.Defs[id] == v {
					count++
					if len(n.Names) == len(n.Values) {
						def = n.Values[i]
					}
				}
			}
		}
	}
	if count != 1 {
		return nil
	}
	return def
}
