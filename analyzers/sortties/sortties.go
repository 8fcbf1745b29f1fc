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
var Analyzer = kit.NewAnalyzer("sortties", doc, run)

// Check is the metadata behind `upshift explain sortties`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1007",
	Finds: "sort.Slice and slices.SortFunc calls whose comparison reads only some fields of " +
		"struct elements (no ID field) when the sorted slice is returned, printed, joined, " +
		"encoded, written, compared or stored. Silent on stable sorts, basic elements, " +
		"comparisons over every field or an ID, and slices only read locally.",
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
	"sort.Slice":      "SliceStable",
	"slices.SortFunc": "SortStableFunc",
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range ins.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(pass.TypesInfo, call)
		if fn == nil || len(call.Args) != 2 {
			continue
		}
		stable, ok := unstable[kit.FuncKey(fn)]
		if !ok {
			continue
		}
		fields, ok := partialFields(pass.TypesInfo, call)
		if !ok {
			continue
		}
		body, ok := enclosingBody(cur)
		if !ok {
			continue
		}
		how, ok := observed(pass.TypesInfo, body, call)
		if !ok || keyedByMapKey(pass.TypesInfo, body, kit.RootOf(pass.TypesInfo, call.Args[0]).Var, fields) {
			continue
		}
		d := analysis.Diagnostic{
			Pos: call.Pos(), End: call.Fun.End(),
			Message: fmt.Sprintf("%s compares only %s, so distinct elements can tie, and their order is unspecified (it changed in go1.19) yet %s: use %s",
				kit.ShortName(fn), strings.Join(fields, ", "), how, stable),
		}
		if rewrite.Wanted(pass) {
			fix, err := rewrite.Fix(pass, call.Pos(), tier.Behavior, "use the stable "+stable, func(f *rewrite.File) error {
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
		pass.Report(d)
	}
	return nil, nil
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
	used := map[string]bool{}
	bad := false
	var stack []ast.Node
	ast.Inspect(lit.Body, func(n ast.Node) bool {
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
		for k := len(stack) - 1; k >= 0; k-- {
			switch stack[k].(type) {
			case *ast.ParenExpr, *ast.StarExpr:
				continue
			}
			parent = stack[k]
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
		return false
	})
	if bad || len(used) == 0 || len(used) >= st.NumFields() {
		return nil, false
	}
	for name := range used {
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

// isIDName reports whether a field name says it is a unique key.
func isIDName(name string) bool {
	return name == "ID" || name == "Id" || name == "id" || name == "UID" ||
		strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "Id")
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
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := c.Node().(type) {
		case *ast.FuncDecl:
			return f.Body, f.Body != nil
		case *ast.FuncLit:
			return f.Body, true
		}
	}
	return nil, false
}
