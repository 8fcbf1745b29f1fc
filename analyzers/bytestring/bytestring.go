package bytestring

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports []byte values that code treats as text where Go never
// will: interface values holding []byte compared with strings, decode hooks
// that accept only one of string and []byte, DeepEqual across the two, and
// []byte printed with %v.
var Analyzer = kit.NewAnalyzer("bytestring", doc, run, new(bytesResults), new(printsParams))

// Check is the metadata behind `upshift explain bytestring`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1002",
	Finds: "an `any` that can hold `[]byte` (followed through assignments, `map[string]any` stores, " +
		"struct fields, helper returns) compared or switched with a string constant: always false; " +
		"`Scan(src any)` hooks without a `[]byte` case; `reflect.DeepEqual`/testify `Equal` mixing " +
		"`[]byte` and `string`; `%v`/`Sprint` of `[]byte` meant as text, also through helpers that " +
		"print their `[]byte` parameter and Printf wrappers.",
	Why: "An interface value that holds []byte is never equal to a string: the comparison compiles, " +
		"vet is silent, and it is always false. A config switch read from a file with os.ReadFile and " +
		"compared with \"on\" never turns on, so the optimisation it guards silently stays off; a " +
		"sql.Scanner that only accepts string fails on drivers that hand over []byte; %v prints bytes " +
		"as [104 101 ...] so logs and error texts stop matching.",
	Before: `data, _ := os.ReadFile(path)
cfg := map[string]any{"mode": bytes.TrimSpace(data)}
if cfg["mode"] == "lowmem" { // always false
	enableLowMem()
}`,
	After: `data, _ := os.ReadFile(path)
cfg := map[string]any{"mode": bytes.TrimSpace(data)}
if fmt.Sprintf("%s", cfg["mode"]) == "lowmem" { // the text, whether string or []byte
	enableLowMem()
}`,
	Since:    "v0.1.0",
	Severity: "error",
	Tier:     tier.Behavior,
})

// bytesResults is the fact exported for a function whose interface results
// carry only []byte, so that packages calling it can follow the value.
type bytesResults struct {
	Results []bytesResult
}

// bytesResult describes one such result.
type bytesResult struct {
	// Index is the result's position.
	Index int
	// Origin names the producer of the bytes, for messages.
	Origin string
	// Text is true when the producer makes text.
	Text bool
}

// AFact marks bytesResults as an analysis fact.
func (*bytesResults) AFact() {}

// String renders the fact for analysistest's fact expectations and -debug
// output.
func (r *bytesResults) String() string {
	parts := make([]string, len(r.Results))
	for i, res := range r.Results {
		parts[i] = fmt.Sprintf("result %d holds []byte from %s", res.Index, res.Origin)
	}
	return strings.Join(parts, "; ")
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	insp, ok := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if !ok {
		return nil, fmt.Errorf("bytestring: inspector result has type %T", pass.ResultOf[inspect.Analyzer])
	}
	f := newFlow(pass, insp)
	f.exportFacts()
	f.exportSums()
	for _, fd := range detect(f, insp) {
		d := diagnostic(pass, fd)
		suggest(pass, fd, &d)
		pass.Report(d)
	}
	return nil, nil
}

// diagnostic turns a finding into the report a user reads.
func diagnostic(pass *analysis.Pass, fd finding) analysis.Diagnostic {
	operand := types.ExprString(fd.operand)
	from := fromPhrase(pass.TypesInfo, fd)
	var msg string
	switch fd.kind {
	case kindCompare:
		op := "false"
		if b, ok := fd.node.(*ast.BinaryExpr); ok && b.Op.String() == "!=" {
			op = "true"
		}
		msg = fmt.Sprintf("comparison of %s%s with string %s is always %s: an interface holding []byte never equals text; store or compare string(...), or use bytes.Equal",
			operand, from, types.ExprString(fd.other), op)
	case kindAssert:
		msg = fmt.Sprintf("type assertion %s.(string) always fails: %s%s; assert .([]byte) or store string(...) instead",
			operand, operand, holdsPhrase(fd))
	case kindSwitch:
		msg = fmt.Sprintf("switch on %s%s never matches string case %s: an interface holding []byte never equals text; switch on string(...)",
			operand, from, types.ExprString(fd.other))
	case kindTypeSwitch:
		msg = fmt.Sprintf("case string never matches: %s%s, and the switch has no []byte case; add one or store string(...)",
			operand, holdsPhrase(fd))
	case kindScanString:
		msg = fmt.Sprintf("%s accepts string but not []byte: database drivers (MySQL, lib/pq, many others) hand text columns over as []byte, so the scan fails or drops the value; add a []byte case",
			fd.callee)
	case kindScanBytes:
		msg = fmt.Sprintf("%s accepts []byte but not string: drivers that hand text over as string (sqlite, pgx, a driver upgrade) make the scan fail; add a string case",
			fd.callee)
	case kindDeepEqual:
		result := "is always false"
		if strings.Contains(fd.callee, "NotEqual") {
			result = "always passes"
		} else if !strings.Contains(fd.callee, "DeepEqual") && !strings.HasPrefix(fd.callee, "cmp.") {
			result = "always fails"
		}
		msg = fmt.Sprintf("%s of %s%s and string %s %s: []byte and string never compare equal; convert one side with string(...) or []byte(...)",
			fd.callee, operand, from, types.ExprString(fd.other), result)
	case kindFormatVerb:
		msg = fmt.Sprintf("%s in %s prints %s%s as a list of numbers ([104 101 ...]), not text: use %%s or string(...)",
			fd.verb, fd.callee, operand, from)
	case kindFormatPrint:
		msg = fmt.Sprintf("%s prints %s%s as a list of numbers ([104 101 ...]), not text: pass string(...)",
			fd.callee, operand, from)
	case kindFormatHelper:
		msg = fmt.Sprintf("%s prints %s%s as a list of numbers ([104 101 ...]), not text, with %s: print it with %%s there",
			fd.callee, operand, from, fd.verb)
	}
	d := analysis.Diagnostic{
		Pos:      fd.node.Pos(),
		End:      fd.node.End(),
		Category: fd.kind.category(),
		Message:  msg,
	}
	if o := fd.origin; o.pos.IsValid() && pass.Fset.Position(o.pos).Line != pass.Fset.Position(fd.node.Pos()).Line {
		d.Related = []analysis.RelatedInformation{{Pos: o.pos, Message: "the []byte enters the value here"}}
	}
	return d
}

// fromPhrase is " (holds []byte from os.ReadFile)" for interface operands
// and " ([]byte from os.ReadFile)" for byte slices, or empty when the
// origin says nothing beyond the operand itself.
func fromPhrase(info *types.Info, fd finding) string {
	desc := originDesc(fd)
	if desc == "" {
		return ""
	}
	if isIface(info.TypeOf(fd.operand)) {
		return " (holds []byte from " + desc + ")"
	}
	return " ([]byte from " + desc + ")"
}

// holdsPhrase is " holds []byte from os.ReadFile" (or " holds []byte").
func holdsPhrase(fd finding) string {
	if desc := originDesc(fd); desc != "" {
		return " holds []byte from " + desc
	}
	return " holds []byte"
}

func originDesc(fd finding) string {
	desc := fd.origin.desc
	op := types.ExprString(fd.operand)
	if desc == "" || desc == op || desc == "variable "+op || desc == "field "+op {
		return ""
	}
	if _, ok := ast.Unparen(fd.operand).(*ast.CallExpr); ok && fd.origin.pos == fd.operand.Pos() {
		return "" // render(name) says where it comes from
	}
	return desc
}
