package iterchange

import (
	_ "embed"
	"go/ast"

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

// Analyzer reports x/exp/maps and x/exp/slices calls whose standard
// replacements differ, iterators over locked state that outlive the lock, and
// slices.Collect results whose nil-ness reaches JSON or a DeepEqual.
var Analyzer = kit.NewAnalyzer("iterchange", doc, run)

// Check is the metadata behind `upshift explain iterchange`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1004",
	Finds: "x/exp `maps.Keys/Values` and x/exp `slices` helpers as migration points (less vs cmp), an " +
		"`iter.Seq` created under a mutex and ranged after Unlock, `slices.Collect`/`Sorted` nil " +
		"results reaching JSON (`null` where `[]` was) or DeepEqual.",
	Why: "The standard maps.Keys and maps.Values return lazy iter.Seq values where the " +
		"x/exp versions returned slices. An iterator taken under a mutex and ranged after " +
		"Unlock reads the map without the lock (a data race, or a fatal concurrent map " +
		"access), and slices.Collect of an empty sequence returns nil, so JSON responses " +
		"change from [] to null and DeepEqual-based tests or caches stop matching.",
	Before: `func (c *Cache) Names() iter.Seq[string] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return maps.Keys(c.items) // ranged by the caller after RUnlock
}

resp := Response{Names: slices.Sorted(maps.Keys(names))} // json:"names": null when empty`,
	After: `func (c *Cache) Names() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Collect(maps.Keys(c.items)) // copied under the lock
}

resp := Response{Names: slices.AppendSeq(make([]string, 0, len(names)), maps.Keys(names))}
slices.Sort(resp.Names)`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Safe,
})

// kind is the sub-rule of a finding, reported as the diagnostic's Category.
type kind string

// The sub-rules; the values are stable and appear in output and configuration.
const (
	kindExpMaps        kind = "exp-maps"
	kindExpSlicesCmp   kind = "exp-slices-cmp"
	kindExpSlicesMoved kind = "exp-slices-moved"
	kindSeqAfterUnlock kind = "seq-after-unlock"
	kindNilCollect     kind = "nil-collect"
)

// finding is one hazard. It keeps the nodes a rewrite needs: hazard is the
// x/exp call, the expression creating the iterator or the slices.Collect
// call; sink is where the hazard bites when that is elsewhere (the use after
// Unlock, the JSON encode, the DeepEqual), nil otherwise.
type finding struct {
	kind     kind
	hazard   ast.Node
	sink     ast.Node
	message  string
	sinkNote string
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	// The x/exp and slices.Collect checks need a direct import; skipping
	// the rest keeps the analyzer cheap on the bulk of packages.
	imports := make(map[string]bool)
	for _, imp := range pass.Pkg.Imports() {
		imports[imp.Path()] = true
	}
	var findings []finding
	if imports[expMapsPath] || imports[expSlicesPath] {
		findings = append(findings, findExpCalls(pass, insp)...)
	}
	findings = append(findings, findSeqAfterUnlock(pass, insp)...)
	if imports["slices"] {
		findings = append(findings, findNilCollect(pass, insp)...)
	}
	cache := fileFixes{}
	for _, f := range findings {
		d := f.diagnostic()
		suggest(pass, f, &d, cache)
		pass.Report(d)
	}
	return nil, nil
}

func (f finding) diagnostic() analysis.Diagnostic {
	d := analysis.Diagnostic{
		Pos:      f.hazard.Pos(),
		End:      f.hazard.End(),
		Category: string(f.kind),
		Message:  f.message,
	}
	if f.sink != nil {
		d.Related = []analysis.RelatedInformation{{
			Pos:     f.sink.Pos(),
			End:     f.sink.End(),
			Message: f.sinkNote,
		}}
	}
	return d
}
