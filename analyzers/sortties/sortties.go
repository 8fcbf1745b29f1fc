package sortties

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

//go:embed doc.go
var doc string

// Analyzer reports unstable sorts whose ties reach ordered output.
var Analyzer = kit.NewAnalyzer("sortties", doc, run, new(sortsParamFact))

// Check is the metadata behind `upshift explain sortties`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1007",
	Finds: "sort.Slice, slices.SortFunc and sort.Sort calls whose comparison reads only some fields of " +
		"struct elements (none identifying: no ID, Name, Path, Key, ...; not set from map keys or deduplicated) " +
		"when the sorted slice is returned, printed, joined, encoded, written, compared or stored, " +
		"there or, for a sorted parameter, in a caller. Silent on stable sorts, basic elements and slices only read locally.",
	Why: "Unstable sorts leave the order of equal elements unspecified; it changed in Go 1.19 " +
		"(pdqsort). When distinct elements compare equal and the sorted order is observed, " +
		"output, golden files and hashes change with the Go release.",
	Before: `sort.Slice(pods, func(i, j int) bool { return pods[i].Node < pods[j].Node })
return pods`,
	After: `sort.SliceStable(pods, func(i, j int) bool { return pods[i].Node < pods[j].Node })
return pods`,
	Since:    "v0.3.0",
	Severity: "warning",
	Tier:     tier.Behavior,
})

// unstable maps each unstable sort (by kit.FuncKey) to its stable variant.
var unstable = map[string]string{
	"sort.Sort":       "Stable",
	"sort.Slice":      "SliceStable",
	"slices.SortFunc": "SortStableFunc",
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	c := &checker{
		pass: pass,
		info: pass.TypesInfo,
		ins:  pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
	}
	c.sums = &kit.Summaries[*sortsParams]{
		Compute: c.summarize,
		Equal:   sameSorts,
		Import:  c.importSorts,
	}
	c.sums.Solve(pass.Pkg, kit.Decls(c.info, c.ins))
	c.direct()
	c.callers()
	c.exportSorts()
	return nil, nil
}

// checker holds one pass's state.
type checker struct {
	pass *analysis.Pass
	info *types.Info
	ins  *inspector.Inspector
	sums *kit.Summaries[*sortsParams]
	// sites caches the sort calls that leave ties, by call.
	sites map[*ast.CallExpr]*sortSite
	// reported holds the sort sites already reported.
	reported map[*sortSite]bool
	// decls are the package's functions, to find Less methods.
	decls map[*types.Func]*ast.FuncDecl
}

// sortSite is an unstable sort call whose comparison leaves ties.
type sortSite struct {
	call   *ast.CallExpr // nil for a sort in another package
	fn     *types.Func   // sort.Slice or slices.SortFunc
	stable string        // its stable variant's name
	fields []string      // the compared fields
	// desc names the sort for messages about calls from other packages:
	// "sort.Slice in v2.SortSilences, comparing only Status".
	desc string
}

// site returns the sortSite of call, or nil when call is not an unstable
// sort whose comparison leaves ties.
func (c *checker) site(call *ast.CallExpr) *sortSite {
	if s, ok := c.sites[call]; ok {
		return s
	}
	if c.sites == nil {
		c.sites = make(map[*ast.CallExpr]*sortSite)
	}
	c.sites[call] = nil
	fn := kit.Callee(c.info, call)
	if fn == nil {
		return nil
	}
	stable, ok := unstable[kit.FuncKey(fn)]
	if !ok {
		return nil
	}
	var fields []string
	switch {
	case kit.FuncKey(fn) == "sort.Sort" && len(call.Args) == 1:
		if c.decls == nil {
			c.decls = make(map[*types.Func]*ast.FuncDecl)
			for _, d := range kit.Decls(c.info, c.ins) {
				c.decls[d.Fn] = d.Node
			}
		}
		fields, ok = lessFields(c.info, c.decls, call)
	case len(call.Args) == 2:
		fields, ok = partialFields(c.info, call)
	default:
		ok = false
	}
	if !ok {
		return nil
	}
	s := &sortSite{call: call, fn: fn, stable: stable, fields: fields}
	c.sites[call] = s
	return s
}

// direct reports the sorts whose sorted slice is a local variable, or a
// parameter, observed in the function itself.
func (c *checker) direct() {
	for cur := range c.ins.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		s := c.site(call)
		if s == nil {
			continue
		}
		body, ok := enclosingBody(cur)
		if !ok {
			continue
		}
		sorted := sortedExpr(c.info, call)
		v := kit.RootOf(c.info, sorted).Var
		if v == nil || !declaredIn(v, body) && !isParamOf(cur, v) {
			continue
		}
		how, ok := observed(c.info, body, v, call.End())
		if !ok || keyedSlice(c.info, body, sorted, s.fields) {
			continue
		}
		c.report(s, how, nil)
	}
}

// callers reports the sorts of parameters whose sorted order a caller
// observes: at the sort when it is in this package (naming the caller),
// at the call when it is in another.
func (c *checker) callers() {
	for cur := range c.ins.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(c.info, call)
		if fn == nil {
			continue
		}
		sum, ok := c.sums.Of(fn)
		if !ok || sum == nil || len(sum.params) == 0 {
			continue
		}
		body, ok := enclosingBody(cur)
		if !ok {
			continue
		}
		for j, arg := range call.Args {
			s := sum.params[kit.ParamIndex(c.info, call, fn, j)]
			if s == nil {
				continue
			}
			id, ok := ast.Unparen(arg).(*ast.Ident)
			if !ok {
				continue
			}
			v, _ := c.info.Uses[id].(*types.Var)
			if v == nil || !declaredIn(v, body) {
				continue
			}
			how, ok := observed(c.info, body, v, call.End())
			if !ok || keyedSlice(c.info, body, arg, s.fields) {
				continue
			}
			if s.call != nil {
				how = "in the caller " + callerName(cur) + ", " + how
			}
			c.report(s, how, call)
		}
	}
}

// callerName names the function around cur.
func callerName(cur inspector.Cursor) string {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return c.Node().(*ast.FuncDecl).Name.Name
	}
	return "a function literal"
}

// report reports s once; via is the call of a caller that observes the
// order, or nil.
func (c *checker) report(s *sortSite, how string, via *ast.CallExpr) {
	if s.call == nil {
		// A sort in another package: report at the call that hands it
		// the slice; the fix belongs there.
		c.pass.Report(analysis.Diagnostic{
			Pos: via.Pos(), End: via.End(),
			Message: fmt.Sprintf("%s leaves ties between distinct elements in an unspecified order (it changed in go1.19), and %s: make its comparison total or use the stable sort there",
				s.desc, how),
		})
		return
	}
	if c.reported == nil {
		c.reported = make(map[*sortSite]bool)
	}
	if c.reported[s] {
		return
	}
	c.reported[s] = true
	call := s.call
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.Fun.End(),
		Message: fmt.Sprintf("%s compares only %s, so distinct elements can tie, and their order is unspecified (it changed in go1.19) yet %s: use %s",
			kit.ShortName(s.fn), strings.Join(s.fields, ", "), how, s.stable),
	}
	if via != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: via.Pos(), End: via.End(), Message: "the caller observes the sorted order after this call"})
	}
	if rewrite.Wanted(c.pass) {
		stable := s.stable
		fix, err := rewrite.Fix(c.pass, call.Pos(), tier.Behavior, "use the stable "+stable, func(f *rewrite.File) error {
			sel, ok := f.Expr(call.Fun).(*dst.SelectorExpr)
			if !ok {
				return fmt.Errorf("the sort is not called as a qualified name")
			}
			sel.Sel.Name = stable
			return nil
		})
		if err != nil {
			d.Related = append(d.Related, rewrite.NoFix(call.Pos(), err.Error()))
		} else {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.pass.Report(d)
}

// declaredIn reports whether v is declared inside body.
func declaredIn(v *types.Var, body *ast.BlockStmt) bool {
	return v.Pos() >= body.Pos() && v.Pos() < body.End()
}

// isParamOf reports whether v is a parameter of the function declaration
// around cur.
func isParamOf(cur inspector.Cursor, v *types.Var) bool {
	_, ft, _, ok := kit.EnclosingFunc(cur)
	return ok && v.Kind() == types.ParamVar && ft.Pos() <= v.Pos() && v.Pos() < ft.End()
}

// partialFields returns the fields of the struct elements that the
// comparison of the sort call reads, when they leave ties: a strict subset
// of the fields, none of them an ID. ok is false whenever the analyzer
// cannot tell (not a function literal, an element used whole).
func partialFields(info *types.Info, call *ast.CallExpr) (fields []string, ok bool) {
	lit, isLit := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	if !isLit || lit.Type.Params.NumFields() != 2 {
		return nil, false
	}
	slice, isSlice := info.TypeOf(call.Args[0]).Underlying().(*types.Slice)
	if !isSlice {
		return nil, false
	}
	st, isStruct := kit.Deref(slice.Elem()).Underlying().(*types.Struct)
	if !isStruct {
		return nil, false
	}
	var params []types.Object
	for _, f := range lit.Type.Params.List {
		for _, n := range f.Names {
			params = append(params, info.Defs[n])
		}
	}
	if len(params) != 2 {
		return nil, false
	}
	indexed := kit.FuncKey(kit.Callee(info, call)) == "sort.Slice"
	sliceVar := kit.RootOf(info, call.Args[0]).Var
	return comparedFields(info, lit.Body, params, st, indexed, sliceVar)
}

// lessFields is partialFields for sort.Sort(x) and sort.Sort(T(x)): the
// comparison is the Less method of x's type, declared in the package, over
// the receiver's elements s[i] and s[j].
func lessFields(info *types.Info, decls map[*types.Func]*ast.FuncDecl, call *ast.CallExpr) (fields []string, ok bool) {
	t := info.TypeOf(call.Args[0])
	if t == nil {
		return nil, false
	}
	slice, isSlice := t.Underlying().(*types.Slice)
	if !isSlice {
		return nil, false
	}
	st, isStruct := kit.Deref(slice.Elem()).Underlying().(*types.Struct)
	if !isStruct {
		return nil, false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, false, nil, "Less")
	less, isFunc := obj.(*types.Func)
	if !isFunc {
		return nil, false
	}
	decl := decls[less]
	if decl == nil || decl.Body == nil || decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 {
		return nil, false
	}
	recv, _ := info.Defs[decl.Recv.List[0].Names[0]].(*types.Var)
	var params []types.Object
	for _, f := range decl.Type.Params.List {
		for _, n := range f.Names {
			params = append(params, info.Defs[n])
		}
	}
	if recv == nil || len(params) != 2 {
		return nil, false
	}
	return comparedFields(info, decl.Body, params, st, true, recv)
}

// sortedExpr returns the expression whose elements a sort call reorders:
// the slice argument, or x in sort.Sort(T(x)).
func sortedExpr(info *types.Info, call *ast.CallExpr) ast.Expr {
	e := ast.Unparen(call.Args[0])
	if conv, ok := e.(*ast.CallExpr); ok && len(conv.Args) == 1 {
		if tv, ok := info.Types[conv.Fun]; ok && tv.IsType() {
			return ast.Unparen(conv.Args[0])
		}
	}
	return e
}

// comparedFields returns the fields of st that the comparison body reads
// from the two elements it compares, when they leave ties: a strict
// subset of the fields, none of them identifying. params are the
// comparison's parameters: the elements themselves, or (indexed) their
// indexes into sliceVar.
func comparedFields(info *types.Info, body *ast.BlockStmt, params []types.Object, st *types.Struct, indexed bool, sliceVar *types.Var) (fields []string, ok bool) {
	isParam := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == params[0] || info.Uses[id] == params[1])
	}
	// isElem reports whether e denotes an element being compared.
	isElem := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if star, ok := e.(*ast.StarExpr); ok {
			e = ast.Unparen(star.X)
		}
		if !indexed {
			return isParam(e)
		}
		ix, ok := e.(*ast.IndexExpr)
		return ok && isParam(ix.Index) && sliceVar != nil && kit.RootOf(info, ix.X).Var == sliceVar
	}
	// used holds the struct's own fields the comparison reads, names the
	// fields it names them by (for promoted fields, the promoted one).
	used, names := map[string]bool{}, map[string]bool{}
	bad := false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if bad {
			return false
		}
		e, isExpr := n.(ast.Expr)
		if !isExpr || !isElem(e) {
			if id, ok := n.(*ast.Ident); ok && isParam(id) {
				bad = true // an index used other than to reach an element
				return false
			}
			stack = append(stack, n)
			return true
		}
		// an element: it must be the operand of a field selection
		var parent ast.Node
		at := -1
		for k := len(stack) - 1; k >= 0; k-- {
			switch stack[k].(type) {
			case *ast.ParenExpr, *ast.StarExpr:
				continue
			}
			parent, at = stack[k], k
			break
		}
		sel, isSel := parent.(*ast.SelectorExpr)
		if !isSel {
			bad = true
			return false
		}
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal {
			bad = true
			return false
		}
		used[st.Field(s.Index()[0]).Name()] = true
		// A field promoted from an embedded struct is named by itself
		// (EndsAt, not Silence); so is one read through the embedded
		// field (ag[i].Silence.EndsAt).
		fv, _ := s.Obj().(*types.Var)
		for j := at - 1; fv != nil && fv.Anonymous() && j >= 0; j-- {
			if _, skip := stack[j].(*ast.ParenExpr); skip {
				continue
			}
			up, ok := stack[j].(*ast.SelectorExpr)
			if !ok {
				break
			}
			us := info.Selections[up]
			if us == nil || us.Kind() != types.FieldVal {
				break
			}
			fv, _ = us.Obj().(*types.Var)
		}
		if fv != nil {
			names[fv.Name()] = true
		}
		return false
	})
	if bad || len(used) == 0 || len(used) >= st.NumFields() {
		return nil, false
	}
	for name := range names {
		if isIDName(name) {
			return nil, false
		}
		fields = append(fields, name)
	}
	if len(fields) == 1 {
		return fields, true
	}
	sortStrings(fields)
	return fields, true
}

// isIDName reports whether a field name says it identifies the element:
// an ID (ID, Id, UID, or a name ending in ID or Id), or one of the
// identity names in identityNames. This is a convention, not a proof: a
// slice may hold two elements with one Name. It is taken because sorting
// by the identifying field is how code makes an order total, and on
// upshift's own code and on alertmanager every comparison on such a field
// was over elements unique in it (settings by Name, packages by PkgPath,
// alerts by Fingerprint).
func isIDName(name string) bool {
	return name == "ID" || name == "Id" || name == "id" || name == "UID" ||
		strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "Id") || identityNames[name]
}

// identityNames are field names that identify an element in the
// collections that hold it.
var identityNames = map[string]bool{
	"Name": true, "FullName": true, "QualifiedName": true,
	"Path": true, "PkgPath": true, "ImportPath": true, "Filename": true, "FileName": true,
	"Key": true, "Pattern": true, "Fingerprint": true, "URL": true,
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// enclosingBody returns the body of the function the call is in.
func enclosingBody(cur inspector.Cursor) (*ast.BlockStmt, bool) {
	_, _, body, ok := kit.EnclosingFunc(cur)
	return body, ok && body != nil
}
