package maporder

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/rewrite"
)

//go:embed doc.go
var doc string

// Analyzer reports map iteration order that reaches ordered output: slices
// built in map order that leave a function unsorted, and writes, prints and
// string concatenation inside loops over maps.
var Analyzer = kit.NewAnalyzer("maporder", doc, run, new(sortsArg), new(ignoresOrder))

func init() {
	Analyzer.Flags.Var(&minFlag{sev: sevMedium}, FlagMin,
		"lowest severity to report: high (encoded, hashed, compared, Error() text, API results, responses, files), "+
			"medium (stored state, values handed on; the default) or low (logs, test messages)")
}

// Check is the metadata behind `upshift explain maporder`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1001",
	Finds: "map iteration order reaching ordered output: a slice that leaves the function unsorted " +
		"(returned, stored, joined, encoded, hashed, compared, passed on), writes to " +
		"writers/hashes/templates/responses inside the loop, string concatenation, printing. Silent " +
		"on collect-then-sort (also through sorting helpers, via facts), commutative reductions, " +
		"map copies, sets, first-match lookups.",
	Why: "Go visits map entries in a random order on every run. When that order reaches a " +
		"returned slice, an encoded or hashed value, or a writer, the output changes between " +
		"runs with no change in the data: a Kubernetes pod template hash changes and the " +
		"workload rolls forever, generated files never stop changing, errors come back in a " +
		"different order and tests flake.",
	Before: `func envList(env map[string]string) []corev1.EnvVar {
	var out []corev1.EnvVar
	for k, v := range env {
		out = append(out, corev1.EnvVar{Name: k, Value: v})
	}
	return out
}`,
	After: `func envList(env map[string]string) []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, corev1.EnvVar{Name: k, Value: env[k]})
	}
	return out
}`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Behavior,
	// A sorted order is one the code could produce; only a test (or a
	// consumer) that pinned the order it happened to see tells it apart.
	TestVerified: true,
})

func run(pass *analysis.Pass) (any, error) {
	floor, err := minSeverity(pass)
	if err != nil {
		return nil, err
	}
	defer suppress.Install(pass)()
	c := &checker{
		pass:    pass,
		info:    pass.TypesInfo,
		inspect: pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
	}
	c.sums = &kit.Summaries[*paramOrder]{
		Compute: c.summarizeDecl,
		Equal:   sameParamOrder,
		Import:  c.importParamOrder,
	}
	c.summarize()
	c.solveResults()
	for _, f := range c.find() {
		if f.hit.sev < floor {
			continue
		}
		d := diagnostic(f)
		c.suggest(f, &d)
		if cost := c.fixCost(f); cost != "" && !c.cold(f.origin.node) {
			d.Message = strings.TrimSuffix(d.Message, " ["+f.hit.sev.String()+"]") +
				"; the fix costs " + cost + " on every call [" + f.hit.sev.String() + "]"
		}
		pass.Report(d)
	}
	return nil, nil
}

// maxRelated bounds the further sinks listed with one diagnostic.
const maxRelated = 3

// diagnostic turns a finding into a report at its origin, pointing at the
// sink.
func diagnostic(f finding) analysis.Diagnostic {
	d := analysis.Diagnostic{
		Pos:      f.origin.node.Pos(),
		End:      f.origin.node.End(),
		Category: f.hit.sev.String(),
		Message:  message(f.hit) + " [" + f.hit.sev.String() + "]",
	}
	if rs, ok := f.origin.node.(*ast.RangeStmt); ok {
		d.End = rs.X.End() // the loop header, not the whole loop
	}
	for i, h := range append([]hit{f.hit}, f.more...) {
		if i > maxRelated {
			break
		}
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     h.sink.Pos(),
			End:     h.sink.End(),
			Message: fmt.Sprintf("%s: %s", h.kind, h.carrier),
		})
	}
	return d
}

// suggest attaches the rewrite for the finding's origin: a sort of the
// collected slice after a loop that only collects, sorted keys for any
// other loop, a sorted collection for a slice; or says why there is none.
func (c *checker) suggest(f finding, d *analysis.Diagnostic) {
	if !rewrite.Wanted(c.pass) {
		return
	}
	var fix analysis.SuggestedFix
	var err error
	switch n := f.origin.node.(type) {
	case *ast.RangeStmt:
		if col, ok := c.collectOnly(f, n); ok {
			fix, err = sortCollectedFix(c.pass, rewrite.FileOf(c.pass, n), n, col)
		} else {
			fix, err = sortedRangeFix(c.pass, n, f.origin.mapExpr)
		}
	case *ast.CallExpr:
		fix, err = sortedCollectFix(c.pass, n)
	default:
		return
	}
	if err != nil {
		d.Related = append(d.Related, rewrite.NoFix(f.origin.node.Pos(), err.Error()))
		return
	}
	d.SuggestedFixes = []analysis.SuggestedFix{fix}
}

// fixCost says what the fix of the finding adds at run time, whether or
// not fixes are being built (vet shows it too): "" when there is no fix.
func (c *checker) fixCost(f finding) string {
	switch n := f.origin.node.(type) {
	case *ast.RangeStmt:
		if col, ok := c.collectOnly(f, n); ok {
			return "a sort of " + col.slice.Name()
		}
		if _, err := check(c.pass, n, f.origin.mapExpr); err != nil {
			return ""
		}
		return "a sort of the " + types.ExprString(f.origin.mapExpr) + " keys"
	case *ast.CallExpr:
		if elem := elemOf(c.info.TypeOf(n)); elem != nil && isOrdered(elem) {
			return "a sort of the collected slice"
		}
	}
	return ""
}

// collectOnly reports whether the finding's loop only collects into one
// fresh slice (collectfix.go): every sink is the slice's, none is inside
// the loop.
func (c *checker) collectOnly(f finding, rs *ast.RangeStmt) (collected, bool) {
	for _, h := range append([]hit{f.hit}, f.more...) {
		if h.inLoop {
			return collected{}, false
		}
	}
	file := rewrite.FileOf(c.pass, rs)
	if file == nil {
		return collected{}, false
	}
	return collectOnly(c.pass, file, rs, f.origin.mapExpr)
}

// message says what reaches which sink, what goes wrong and how to fix it.
func message(h hit) string {
	const prefix = "map iteration order reaches "
	const iterate = "range over the keys in sorted order"
	c, via := h.carrier, h.via
	if h.inLoop {
		switch h.kind {
		case sinkHash:
			return fmt.Sprintf(prefix+"writes to the hash %s: the digest differs between runs; %s", c, iterate)
		case sinkEncode:
			return fmt.Sprintf(prefix+"values encoded to %s: the encoded output differs between runs; %s", c, iterate)
		case sinkConcat:
			return fmt.Sprintf(prefix+"the string %s built by concatenation: it differs between runs; %s", c, iterate)
		case sinkPrint:
			return fmt.Sprintf(prefix+"%s in the loop: lines print in a different order on each run; %s", via, iterate)
		default:
			return fmt.Sprintf(prefix+"writes to %s: the output differs between runs; %s", c, iterate)
		}
	}
	switch h.kind {
	case sinkReturn:
		return fmt.Sprintf(prefix+"the returned slice %s: the result differs between runs; sort %s before it leaves the function", c, c)
	case sinkStore:
		return fmt.Sprintf(prefix+"%s, which outlives the function: its order differs between runs; sort it before storing it", c)
	case sinkJoin:
		return fmt.Sprintf(prefix+"%s joined by %s: the joined string differs between runs; sort %s first", c, via, c)
	case sinkEncode:
		return fmt.Sprintf(prefix+"%s encoded by %s: the encoded bytes differ between runs; sort %s first", c, via, c)
	case sinkHash:
		return fmt.Sprintf(prefix+"%s hashed by %s: the digest differs between runs; sort %s first", c, via, c)
	case sinkCompare:
		return fmt.Sprintf(prefix+"%s compared by %s: the result depends on the run; sort %s first", c, via, c)
	case sinkPrint:
		return fmt.Sprintf(prefix+"%s printed by %s: the output differs between runs; sort %s first", c, via, c)
	case sinkWriter:
		return fmt.Sprintf(prefix+"%s written by %s: the output differs between runs; sort %s first", c, via, c)
	default:
		return fmt.Sprintf(prefix+"%s passed to %s: the callee sees a different order on each run; sort %s first", c, via, c)
	}
}
