package loopvar

import (
	_ "embed"
	"go/ast"
	"go/build"
	"go/types"
	"path/filepath"
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

// Analyzer reports loop variables whose address or closure outlives an
// iteration in files whose language version is below go1.22.
var Analyzer = kit.NewAnalyzer("loopvar", doc, run, new(keepsFact))

// Check is the metadata behind `upshift explain loopvar`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1006",
	Finds: "in files below go 1.22: loop variables whose address is kept or that are captured by " +
		"goroutines, defers, stored closures or parallel subtests — code whose behaviour changes " +
		"when the go line crosses 1.22.",
	Why: "Raising the go line to 1.22 gives every loop iteration its own variable. Code that kept &v " +
		"or a closure over v saw one shared variable before (every stored pointer aliased the last " +
		"element, every goroutine or parallel subtest saw the last case) and sees per-iteration copies " +
		"after: the same source changes behaviour with no diff, in either direction (letsencrypt/boulder " +
		"PR #4690, kubernetes/kubernetes#98213).",
	Before: `// go.mod: go 1.21
func ptrs(items []Item) []*Item {
	var out []*Item
	for _, item := range items {
		out = append(out, &item) // every element points at the last item
	}
	return out
}`,
	After: `// go.mod: go 1.21
func ptrs(items []Item) []*Item {
	var out []*Item
	for i := range items {
		out = append(out, &items[i]) // same result before and after go 1.22
	}
	return out
}`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Behavior,
})

// newSemantics is the first language version with per-iteration loop
// variables.
const newSemantics = "go1.22"

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	c := newChecker(pass)
	// The standard library is always at the newest language version and
	// its callees are described by knownCallee, so it needs no summaries.
	if !inGOROOT(pass) {
		c.summarize()
	}
	for _, f := range c.findings() {
		d := f.diagnostic()
		suggest(pass, f, &d)
		pass.Report(d)
	}
	return nil, nil
}

func newChecker(pass *analysis.Pass) *checker {
	c := &checker{
		pass:  pass,
		info:  pass.TypesInfo,
		root:  pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root(),
		index: make(map[ast.Node]map[*types.Var][]inspector.Cursor),
	}
	c.sums = &kit.Summaries[paramFlows]{
		Compute: func(d kit.Decl) paramFlows { return c.summarizeFunc(d.Fn, d.Cursor) },
		Equal:   paramFlows.equal,
		Import: func(fn *types.Func) (paramFlows, bool) {
			var fact keepsFact
			if pass.ImportObjectFact(fn, &fact) {
				return fact.Flows, true
			}
			return paramFlows{}, false
		},
	}
	return c
}

// inGOROOT reports whether the package belongs to the standard library.
func inGOROOT(pass *analysis.Pass) bool {
	root := build.Default.GOROOT
	if root == "" || len(pass.Files) == 0 {
		return false
	}
	tf := pass.Fset.File(pass.Files[0].Pos())
	if tf == nil {
		return false
	}
	return strings.HasPrefix(tf.Name(), filepath.Join(root, "src")+string(filepath.Separator))
}

// A sinkKind says how an alias of a loop variable leaves its iteration.
type sinkKind uint8

const (
	// sinkStore: kept in a place that collects one entry per iteration
	// (append, slice element, map, channel, a callee that keeps it).
	sinkStore sinkKind = iota + 1
	// sinkSlot: kept in one outer variable or field, overwritten each time.
	sinkSlot
	// sinkGo: used by another goroutine.
	sinkGo
	// sinkDefer: used when the function returns or the test ends.
	sinkDefer
	// sinkParallel: used by a parallel subtest.
	sinkParallel
	// sinkReturn: returned by the function being summarized.
	sinkReturn
	// sinkRecv: stored in memory reached from the receiver of the function
	// being summarized (kept only as long as the receiver is).
	sinkRecv
)

// An escape is where an alias of a tracked variable leaves its region.
type escape struct {
	kind sinkKind
	// sink is the statement or call through which the alias leaves.
	sink ast.Node
	// where completes "... is <where>", e.g. "appended to result".
	where string
	// slot, for sinkSlot, names the reason the single store matters.
	slot slotReason
	// use, when set, is the captured reference that matters (parallel
	// subtests ignore references before t.Parallel()).
	use *ast.Ident
}

// slotReason says why overwriting one outer variable with an alias of a
// range or loop variable is visible.
type slotReason uint8

const (
	slotThreeClause slotReason = iota + 1 // post statement moves the variable on
	slotConditional                       // only some iterations store
	slotReadLater                         // a later iteration reads the slot
)

// originKind says how the loop variable is referenced.
type originKind uint8

const (
	originAddr    originKind = iota + 1 // &v, &v.f, v[:] of an array
	originMethod                        // v.M or v.M() with a pointer receiver
	originClosure                       // a func literal capturing v
)

// A finding is one reference to loop variables that outlives an iteration.
// It keeps the nodes a rewrite needs: the loop, the declaring identifiers
// (where a per-iteration copy goes) and the origin expression.
type finding struct {
	pass    *analysis.Pass
	loop    ast.Stmt     // *ast.RangeStmt or *ast.ForStmt
	decls   []*ast.Ident // declaring identifiers of the escaping variables
	origin  ast.Node     // *ast.UnaryExpr, *ast.SliceExpr, *ast.SelectorExpr or *ast.FuncLit
	okind   originKind
	use     *ast.Ident // the reported reference to the loop variable
	esc     *escape
	version string // the file's language version, e.g. "go1.21"
	fromTag bool   // the version comes from a //go:build line
}

// checker holds the per-pass state of the analysis.
type checker struct {
	pass *analysis.Pass
	info *types.Info
	root inspector.Cursor
	// sums are the parameter summaries: this package's, to a fixpoint,
	// and imported functions' from facts.
	sums *kit.Summaries[paramFlows]
	// index maps a top-level declaration to the uses of its variables.
	index map[ast.Node]map[*types.Var][]inspector.Cursor
}
