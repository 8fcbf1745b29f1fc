package bytestring

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// This file follows []byte values through the package's own helpers: a
// helper that prints a []byte parameter with %v prints text as numbers
// whenever a caller hands it text, a helper that forwards its format and
// operands to fmt is itself a Printf, and a helper that returns what
// os.ReadFile read returns text. Each function gets one summary (kit's
// Summaries, to a fixpoint); exported functions publish theirs as a fact so
// importing packages see through them too.

// helperSum is what one function does with the bytes it is handed.
type helperSum struct {
	// printed maps the index of a []byte parameter to the places that
	// print it as a list of numbers, in this function or in the helpers
	// it passes the parameter to.
	printed map[int][]*printSite
	// format and operands are the parameter indexes of a Printf-style
	// wrapper's format and variadic operands (format is -1 for a
	// Print-style wrapper); operands is -1 when the function is no wrapper.
	format, operands int
	// textResults are the indexes of []byte results that only ever hold
	// text.
	textResults []int
}

// printSite is one print of a []byte parameter with %v (or as a Print
// operand). Local sites carry the finding to report there once a caller
// passes text; sites in other packages only carry their description.
type printSite struct {
	// fd is the finding template at the print, nil for imported sites.
	fd *finding
	// desc says where the print is: "fmt.Errorf in logx.Report".
	desc string
}

// printsParams is the fact exported for a function whose summary says
// something: which []byte parameters it prints as numbers, whether it
// wraps Printf or Print, and which []byte results hold text.
type printsParams struct {
	// Printed lists the printed parameters.
	Printed []printedParam
	// Format and Operands are the wrapper's parameter indexes; Operands
	// is -1 when the function is no wrapper, Format -1 for a Print-style
	// wrapper.
	Format, Operands int
	// TextResults are the []byte results that hold text.
	TextResults []int
}

// printedParam is one parameter printed as numbers.
type printedParam struct {
	Index int
	// Via describes the print: "%v in fmt.Errorf in logx.Report".
	Via string
}

// AFact marks printsParams as an analysis fact.
func (*printsParams) AFact() {}

// String renders the fact for analysistest's fact expectations.
func (p *printsParams) String() string {
	var parts []string
	for _, pp := range p.Printed {
		parts = append(parts, fmt.Sprintf("param %d printed by %s", pp.Index, pp.Via))
	}
	if p.Operands >= 0 {
		parts = append(parts, fmt.Sprintf("wraps print (format %d, operands %d)", p.Format, p.Operands))
	}
	for _, r := range p.TextResults {
		parts = append(parts, fmt.Sprintf("result %d is text", r))
	}
	return strings.Join(parts, "; ")
}

func noSum() *helperSum { return &helperSum{format: -1, operands: -1} }

func sameSum(a, b *helperSum) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.format != b.format || a.operands != b.operands || !slices.Equal(a.textResults, b.textResults) || len(a.printed) != len(b.printed) {
		return false
	}
	for i, sites := range a.printed {
		if !slices.Equal(sites, b.printed[i]) {
			return false
		}
	}
	return true
}

// summarize computes the summary of every function of the package.
func (f *flow) summarize(insp *inspector.Inspector) {
	f.sites = make(map[ast.Expr]*printSite)
	f.sums = &kit.Summaries[*helperSum]{
		Compute: f.summarizeDecl,
		Equal:   sameSum,
		Import:  f.importSum,
	}
	f.sums.Solve(f.pass.Pkg, kit.Decls(f.info, insp))
}

// summaryOf returns fn's summary, or nil.
func (f *flow) summaryOf(fn *types.Func) *helperSum {
	if f.sums == nil || fn == nil {
		return nil
	}
	s, ok := f.sums.Of(fn)
	if !ok {
		return nil
	}
	return s
}

func (f *flow) importSum(fn *types.Func) (*helperSum, bool) {
	var fact printsParams
	if !f.pass.ImportObjectFact(fn, &fact) {
		return nil, false
	}
	s := &helperSum{format: fact.Format, operands: fact.Operands, textResults: fact.TextResults}
	for _, pp := range fact.Printed {
		if s.printed == nil {
			s.printed = make(map[int][]*printSite)
		}
		s.printed[pp.Index] = append(s.printed[pp.Index], &printSite{desc: pp.Via})
	}
	return s, true
}

// exportSums publishes the summaries of exported functions.
func (f *flow) exportSums() {
	f.sums.Each(func(d kit.Decl, s *helperSum) {
		if !d.Fn.Exported() || s == nil || len(s.printed) == 0 && s.operands < 0 && len(s.textResults) == 0 {
			return
		}
		fact := &printsParams{Format: s.format, Operands: s.operands, TextResults: s.textResults}
		for i, sites := range s.printed {
			fact.Printed = append(fact.Printed, printedParam{Index: i, Via: sites[0].desc})
		}
		slices.SortFunc(fact.Printed, func(a, b printedParam) int { return a.Index - b.Index })
		f.pass.ExportObjectFact(d.Fn, fact)
	})
}

// printfOf reports whether calls to fn format Printf-style: the index of
// the format argument and of the first operand. Wrappers found by the
// summaries count.
func (f *flow) printfOf(fn *types.Func) (format, first int, ok bool) {
	if i, ok := kit.PrintfFormat(fn); ok {
		return i, i + 1, true
	}
	if testingPkg(fn) {
		return 0, 0, false
	}
	if s := f.summaryOf(fn); s != nil && s.operands >= 0 && s.format >= 0 {
		return s.format, s.operands, true
	}
	return 0, 0, false
}

// printOf reports whether calls to fn print their operands Print-style,
// and the index of the first operand.
func (f *flow) printOf(fn *types.Func) (first int, ok bool) {
	if i, ok := kit.PrintOperands(fn); ok {
		return i, true
	}
	if testingPkg(fn) {
		return 0, false
	}
	if s := f.summaryOf(fn); s != nil && s.operands >= 0 && s.format < 0 {
		return s.operands, true
	}
	return 0, false
}

// testingPkg reports whether fn is one of the testing package's printers
// (t.Errorf wraps fmt.Sprintf, so its summary makes it a Printf wrapper):
// tests print binary fixtures with %v on purpose, so they are left out.
func testingPkg(fn *types.Func) bool {
	return kit.PkgPath(fn) == "testing"
}

// summarizeDecl computes one function's summary.
func (f *flow) summarizeDecl(d kit.Decl) *helperSum {
	s := noSum()
	sig := d.Fn.Signature()
	params := make(map[*types.Var]int)
	for i := 0; i < sig.Params().Len(); i++ {
		params[sig.Params().At(i)] = i
	}
	add := func(i int, sites ...*printSite) {
		if s.printed == nil {
			s.printed = make(map[int][]*printSite)
		}
		for _, site := range sites {
			if !slices.Contains(s.printed[i], site) {
				s.printed[i] = append(s.printed[i], site)
			}
		}
	}
	ast.Inspect(d.Node.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := typeutil.StaticCallee(f.info, call)
		if fn == nil {
			return true
		}
		if call.Ellipsis.IsValid() {
			f.wrapper(s, call, fn, params)
			return true
		}
		if format, first, ok := f.printfOf(fn); ok {
			for _, a := range f.verbArgs(call, fn, format, first) {
				if i, ok := f.paramOf(a.operand, params, 0); ok {
					add(i, f.site(a.operand, func() finding { return a }))
				}
			}
			return true
		}
		if first, ok := f.printOf(fn); ok && len(call.Args) > first {
			for _, arg := range call.Args[first:] {
				if i, ok := f.paramOf(arg, params, 0); ok {
					add(i, f.site(arg, func() finding {
						return finding{kind: kindFormatPrint, node: arg, operand: arg, callee: f.printName(fn)}
					}))
				}
			}
			return true
		}
		if cs := f.summaryOf(fn); cs != nil {
			for j, arg := range call.Args {
				sites := cs.printed[kit.ParamIndex(f.info, call, fn, j)]
				if len(sites) == 0 {
					continue
				}
				if i, ok := f.paramOf(arg, params, 0); ok {
					add(i, sites...)
				}
			}
		}
		return true
	})
	// []byte results that only ever return text.
	res := sig.Results()
	var texts []bool
	for i := 0; i < res.Len(); i++ {
		texts = append(texts, kit.IsByteSlice(res.At(i).Type()) && res.At(i).Name() == "")
	}
	returns := 0
	ast.Inspect(d.Node.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != res.Len() {
				clear(texts)
				return false
			}
			for i, e := range n.Results {
				if texts[i] && !f.textSource(e, 0) {
					if tv, ok := f.info.Types[e]; !ok || !tv.IsNil() {
						texts[i] = false
					}
				}
			}
		}
		return true
	})
	if returns > 0 {
		for i, t := range texts {
			if t {
				s.textResults = append(s.textResults, i)
			}
		}
	}
	return s
}

// wrapper records that call forwards fn's format and variadic operands
// (format, args...) to a printer: the function being summarized is a
// Printf or Print wrapper.
func (f *flow) wrapper(s *helperSum, call *ast.CallExpr, fn *types.Func, params map[*types.Var]int) {
	last, ok := f.paramOf(call.Args[len(call.Args)-1], params, -1)
	if !ok {
		return
	}
	if format, first, ok := f.printfOf(fn); ok && first == len(call.Args)-1 && format < len(call.Args) {
		if i, ok := f.paramOf(call.Args[format], params, -1); ok {
			s.format, s.operands = i, last
		}
		return
	}
	// A function that forwards to both Printf and Print is a Printf
	// wrapper: its first argument is a format.
	if first, ok := f.printOf(fn); ok && first == len(call.Args)-1 && s.operands < 0 {
		s.format, s.operands = -1, last
	}
}

// paramOf returns the index of the parameter that e denotes: the
// parameter itself, a slice of it, or a local assigned once from it. With
// depth -1 only the parameter itself counts (forwarded formats and
// operands).
func (f *flow) paramOf(e ast.Expr, params map[*types.Var]int, depth int) (int, bool) {
	e = ast.Unparen(e)
	if depth > 4 {
		return 0, false
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := f.info.Uses[e].(*types.Var)
		if !ok {
			return 0, false
		}
		if i, ok := params[v]; ok {
			// A parameter assigned in the body may hold something else.
			if f.byteAssigns[v] > 0 {
				return 0, false
			}
			// A printed parameter must be a []byte that fmt prints as
			// numbers and whose name does not say it is binary.
			if depth >= 0 && (!kit.IsByteSlice(v.Type()) || hasPrintMethod(v.Type()) || binaryWords(v.Name())) {
				return 0, false
			}
			return i, true
		}
		if depth >= 0 && f.byteAssigns[v] == 1 {
			if def, ok := f.byteDefs[v]; ok {
				return f.paramOf(def, params, depth+1)
			}
		}
	case *ast.SliceExpr:
		if depth >= 0 {
			return f.paramOf(e.X, params, depth+1)
		}
	}
	return 0, false
}

// site returns the one printSite of the print of arg, made by mk the first
// time.
func (f *flow) site(arg ast.Expr, mk func() finding) *printSite {
	if s, ok := f.sites[arg]; ok {
		return s
	}
	fd := mk()
	desc := fd.callee
	if fd.verb != "" {
		desc = fd.verb + " in " + desc
	}
	if encl := f.enclosingFunc(arg); encl != "" {
		desc += " in " + encl
	}
	s := &printSite{fd: &fd, desc: desc}
	f.sites[arg] = s
	return s
}

// enclosingFunc names the function declared around pos, qualified by the
// package: "logx.Report".
func (f *flow) enclosingFunc(e ast.Expr) string {
	for _, file := range f.pass.Files {
		if file.FileStart > e.Pos() || e.End() > file.FileEnd {
			continue
		}
		for _, decl := range file.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Pos() <= e.Pos() && e.End() <= fd.End() {
				if fn, ok := f.info.Defs[fd.Name].(*types.Func); ok {
					return f.pass.Pkg.Name() + "." + strings.TrimPrefix(kit.ShortName(fn), f.pass.Pkg.Name()+".")
				}
			}
		}
	}
	return ""
}

// printName names a printer in messages: "fmt.Sprintf", "log.Logger.Printf",
// or the wrapper's own name.
func (f *flow) printName(fn *types.Func) string {
	return shortCallee(kit.FuncKey(fn))
}

// verbArgs returns a finding template for every operand of a Printf-style
// call formatted with %v or %+v: the verbs that print a []byte as a list
// of numbers. An operand printed with several verbs in one call ("%v %s
// %x") demonstrates the verbs on purpose and is left out.
func (f *flow) verbArgs(call *ast.CallExpr, fn *types.Func, fmtIndex, first int) []finding {
	if len(call.Args) <= fmtIndex || first > len(call.Args) {
		return nil
	}
	tv, ok := f.info.Types[call.Args[fmtIndex]]
	if !ok || tv.Value == nil {
		return nil
	}
	format, ok := constantString(tv)
	if !ok {
		return nil
	}
	verbs, ok := parseVerbs(format)
	if !ok {
		return nil
	}
	args := call.Args[first:]
	uses := make(map[int]int)
	for _, v := range verbs {
		uses[v.arg]++
	}
	var out []finding
	for _, v := range verbs {
		if v.verb != 'v' || strings.Contains(v.flags, "#") || v.arg >= len(args) || uses[v.arg] > 1 {
			continue
		}
		arg := args[v.arg]
		out = append(out, finding{kind: kindFormatVerb, node: arg, operand: arg,
			callee: f.printName(fn), verb: "%" + v.flags + "v", format: call.Args[fmtIndex], verbOff: v.off})
	}
	return out
}
