package sortties

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// This file follows sorts of parameters: `func SortSilences(s []*Silence)
// { sort.Slice(s, ...) }` leaves ties in its caller's slice, and whether
// that matters depends on what the caller does with it afterwards. Each
// function gets a summary (kit's Summaries): which of its slice
// parameters it sorts, in place, with a comparison that leaves ties,
// directly or by handing the parameter to another such function.
// Exported functions publish it as a fact.

// sortsParams maps the index of a parameter to the sort that leaves ties
// in it.
type sortsParams struct {
	params map[int]*sortSite
}

func sameSorts(a, b *sortsParams) bool {
	if a == nil || b == nil {
		return a == b
	}
	if len(a.params) != len(b.params) {
		return false
	}
	for i, s := range a.params {
		if b.params[i] != s {
			return false
		}
	}
	return true
}

// summarize computes d's summary.
func (c *checker) summarize(d kit.Decl) *sortsParams {
	sum := &sortsParams{}
	sig := d.Fn.Signature()
	params := make(map[*types.Var]int)
	for i := 0; i < sig.Params().Len(); i++ {
		params[sig.Params().At(i)] = i
	}
	paramOf := func(e ast.Expr) (int, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return 0, false
		}
		v, _ := c.info.Uses[id].(*types.Var)
		i, ok := params[v]
		return i, ok
	}
	add := func(i int, s *sortSite) {
		if sum.params == nil {
			sum.params = make(map[int]*sortSite)
		}
		if _, ok := sum.params[i]; !ok {
			sum.params[i] = s
		}
	}
	ast.Inspect(d.Node.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a closure may never run
		case *ast.CallExpr:
			if s := c.site(n); s != nil {
				// A sort observed in the function itself is reported
				// there; callers need not see it again.
				if i, ok := paramOf(sortedExpr(c.info, n)); ok {
					if _, seen := observed(c.info, d.Node.Body, sig.Params().At(i), n.End()); !seen {
						add(i, s)
					}
				}
				return true
			}
			fn := kit.Callee(c.info, n)
			if fn == nil || fn.Origin() == d.Fn {
				return true
			}
			callee, ok := c.sums.Of(fn)
			if !ok || callee == nil {
				return true
			}
			for j, arg := range n.Args {
				if s := callee.params[kit.ParamIndex(c.info, n, fn, j)]; s != nil {
					if i, ok := paramOf(arg); ok {
						add(i, s)
					}
				}
			}
		}
		return true
	})
	return sum
}

// sortsParamFact is the fact exported for a function that sorts some of
// its parameters leaving ties.
type sortsParamFact struct {
	Params []sortedParam
}

// sortedParam is one parameter sorted with ties.
type sortedParam struct {
	Index int
	// Via describes the sort: "sort.Slice in v2.SortSilences, comparing
	// only Status, Silence".
	Via string
	// Fields are the compared fields.
	Fields []string
}

// AFact marks sortsParamFact as an analysis fact.
func (*sortsParamFact) AFact() {}

// String renders the fact for analysistest's fact expectations.
func (f *sortsParamFact) String() string {
	parts := make([]string, len(f.Params))
	for i, p := range f.Params {
		parts[i] = fmt.Sprintf("param %d sorted by %s", p.Index, p.Via)
	}
	return strings.Join(parts, "; ")
}

func (c *checker) importSorts(fn *types.Func) (*sortsParams, bool) {
	var fact sortsParamFact
	if !c.pass.ImportObjectFact(fn, &fact) {
		return nil, false
	}
	sum := &sortsParams{params: make(map[int]*sortSite)}
	for _, p := range fact.Params {
		sum.params[p.Index] = &sortSite{desc: p.Via, fields: p.Fields}
	}
	return sum, true
}

// exportSorts publishes the summaries of exported functions.
func (c *checker) exportSorts() {
	c.sums.Each(func(d kit.Decl, sum *sortsParams) {
		if !d.Fn.Exported() || sum == nil || len(sum.params) == 0 {
			return
		}
		fact := &sortsParamFact{}
		for i, s := range sum.params {
			via := s.desc
			if via == "" {
				via = fmt.Sprintf("%s in %s.%s, comparing only %s", kit.ShortName(s.fn), c.pass.Pkg.Name(), c.enclosingName(s.call), strings.Join(s.fields, ", "))
			}
			fact.Params = append(fact.Params, sortedParam{Index: i, Via: via, Fields: s.fields})
		}
		slices.SortFunc(fact.Params, func(a, b sortedParam) int { return a.Index - b.Index })
		c.pass.ExportObjectFact(d.Fn, fact)
	})
}

// enclosingName names the function declared around n.
func (c *checker) enclosingName(n ast.Node) string {
	for _, f := range c.pass.Files {
		if f.FileStart > n.Pos() || n.End() > f.FileEnd {
			continue
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Pos() <= n.Pos() && n.End() <= fd.End() {
				return fd.Name.Name
			}
		}
	}
	return "?"
}
