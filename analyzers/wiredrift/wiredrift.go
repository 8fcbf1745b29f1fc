package wiredrift

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/rewrite"
)

//go:embed doc.go
var doc string

// JSONv2Flag is the name of the analyzer flag declaring that the module is
// moving to encoding/json/v2 (or builds with GOEXPERIMENT=jsonv2 and plans
// to switch imports): the v1 -> v2 field rules then also check types passed
// to encoding/json v1.
const JSONv2Flag = "jsonv2"

// Analyzer reports encoded bytes that are not stable across runs (gob,
// protobuf and json v2 bytes of map-holding values used as keys, hashes or
// equality tests) and struct fields whose JSON changes between
// encoding/json v1 and v2.
var Analyzer = kit.NewAnalyzer("wiredrift", doc, run, (*summaryFact)(nil))

func init() {
	Analyzer.Flags.Bool(JSONv2Flag, false, "the module is moving to encoding/json/v2 (GOEXPERIMENT=jsonv2): also check types passed to encoding/json v1 for fields whose JSON changes in v2")
}

// Check is the metadata behind `upshift explain wiredrift`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1003",
	Finds: "gob (and proto without `Deterministic`, json v2 without `Deterministic(true)`) bytes of " +
		"map-holding values used as keys, hashes or in comparisons; for json v2 users (or " +
		"`-wiredrift.jsonv2`), struct fields whose JSON changes between v1 and v2 (omitempty, nil " +
		"slices/maps, Duration, `[N]byte`, `,string`).",
	Why: "gob, protobuf and json v2 write map entries in random order, so the bytes of one value differ from run to run: " +
		"a cache keyed or an ETag computed from them misses every time, change detection always fires, and build caches " +
		"keyed by analysis facts never hit (int128/kubelogin#1638, datacommonsorg/mixer PR #2094, uber-go/nilaway PR #375). " +
		"Moving to encoding/json/v2 silently changes the JSON of fields with omitempty, ,string, nil slices and maps, " +
		"time.Duration and byte arrays, so peers and stored data written by v1 stop matching.",
	Before: `func cacheKey(s Session) string { // Session has Attrs map[string]string
	var buf bytes.Buffer
	gob.NewEncoder(&buf).Encode(s)
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}`,
	After: `func cacheKey(s Session) string {
	b, _ := json.Marshal(s) // encoding/json sorts map keys
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Behavior,
})

// checker holds the state of one pass.
type checker struct {
	pass       *analysis.Pass
	info       *types.Info
	jsonv2Flag bool
	sums       *kit.Summaries[*summaryFact]
	stdCache   map[string]bool
	goroot     string
}

// factFinding is an analysis fact type that gob would encode with a map.
type factFinding struct {
	Spec    *ast.TypeSpec
	Type    *types.TypeName
	MapPath string
}

// findings is everything one pass found, before reporting.
type findings struct {
	flows []flowFinding
	facts []factFinding
	json  []jsonFinding
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()
	c := &checker{
		pass:     pass,
		info:     pass.TypesInfo,
		stdCache: make(map[string]bool),
		goroot:   build.Default.GOROOT,
	}
	if f := pass.Analyzer.Flags.Lookup(JSONv2Flag); f != nil {
		c.jsonv2Flag = f.Value.String() == "true"
	}
	if c.isStd(pass.Pkg.Path()) {
		return nil, nil // the standard library keys nothing with gob
	}
	c.report(c.detect())
	return nil, nil
}

// detect runs every rule and returns the findings; it reports nothing, so
// that a fixer can reuse the same nodes.
func (c *checker) detect() findings {
	return findings{
		flows: c.flowFindings(),
		facts: c.factFindings(),
		json:  c.jsonFindings(),
	}
}

// flowFindings follows unstable bytes in every function. Summaries of the
// package's functions are computed to a fixed point first (kit.Summaries),
// so that helpers are understood wherever they are declared, then the
// exported functions' summaries are exported as facts. The findings are
// those of each function's last walk, made with its callees' final
// summaries.
func (c *checker) flowFindings() []flowFinding {
	found := make(map[*types.Func][]flowFinding)
	c.sums = &kit.Summaries[*summaryFact]{
		Compute: func(d kit.Decl) *summaryFact {
			ff := newFuncFlow(c, d.Node, d.Fn)
			ff.run()
			found[d.Fn] = ff.findings
			return &ff.sum
		},
		Equal: sameSummary,
		Import: func(fn *types.Func) (*summaryFact, bool) {
			fact := new(summaryFact)
			if c.isStd(fn.Pkg().Path()) || !c.pass.ImportObjectFact(fn, fact) {
				return nil, false
			}
			return fact, true
		},
	}
	decls := kit.Decls(c.info, c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector))
	c.sums.Solve(c.pass.Pkg, decls)
	var out []flowFinding
	for _, d := range decls {
		out = append(out, found[d.Fn]...)
	}
	c.sums.Each(func(d kit.Decl, s *summaryFact) {
		if s.empty() || !d.Fn.Exported() {
			return // other packages can only call exported names
		}
		exported := &summaryFact{}
		for _, ps := range s.Sinks {
			ps.Pos = token.NoPos
			exported.Sinks = append(exported.Sinks, ps)
		}
		for _, rf := range s.Returns {
			rf.Pos = token.NoPos
			exported.Returns = append(exported.Returns, rf)
		}
		c.pass.ExportObjectFact(d.Fn, exported)
	})
	return out
}

// sameSummary reports whether two summaries say the same; no summary is
// the empty one.
func sameSummary(a, b *summaryFact) bool {
	if a == nil || b == nil {
		return (a == nil || a.empty()) && (b == nil || b.empty())
	}
	if len(a.Sinks) != len(b.Sinks) || len(a.Returns) != len(b.Returns) {
		return false
	}
	for i := range a.Sinks {
		if a.Sinks[i] != b.Sinks[i] {
			return false
		}
	}
	for i := range a.Returns {
		if a.Returns[i] != b.Returns[i] {
			return false
		}
	}
	return true
}

// summaryOf returns fn's summary from this package or from a fact.
func (c *checker) summaryOf(fn *types.Func) *summaryFact {
	s, _ := c.sums.Of(fn)
	return s
}

// factFindings reports analysis fact types that gob would encode with a
// map.
func (c *checker) factFindings() []factFinding {
	var out []factFinding
	for _, file := range c.pass.Files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				tn, ok := c.info.Defs[ts.Name].(*types.TypeName)
				if !ok || !isAnalysisFact(tn.Type()) {
					continue
				}
				if mp := mapPath(encGob, tn.Type()); mp != "" {
					out = append(out, factFinding{Spec: ts, Type: tn, MapPath: mp})
				}
			}
		}
	}
	return out
}

// isAnalysisFact reports whether t or *t has the AFact marker method.
func isAnalysisFact(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(ptrIfValue(t), true, nil, "AFact")
	fn, ok := obj.(*types.Func)
	return ok && fn.Signature().Params().Len() == 0 && fn.Signature().Results().Len() == 0
}

// report turns findings into diagnostics.
func (c *checker) report(f findings) {
	for _, ff := range f.flows {
		d := c.flowDiagnostic(ff)
		c.suggest(ff, &d)
		c.pass.Report(d)
	}
	for _, ff := range f.facts {
		contains := "contains " + ff.MapPath
		if ff.MapPath == "a map" {
			contains = "is a map"
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      ff.Spec.Name.Pos(),
			End:      ff.Spec.Name.End(),
			Category: "gob-fact",
			Message: fmt.Sprintf("analysis fact %s %s: drivers gob-encode facts and gob encodes maps in iteration order, "+
				"so identical runs write different fact bytes and miss content-addressed build caches; "+
				"implement GobEncode with sorted entries or store a sorted slice", ff.Type.Name(), contains),
		})
	}
	for _, jf := range f.json {
		c.pass.Report(c.jsonDiagnostic(jf))
	}
}

// suggest attaches the deterministic-encoding rewrite to a finding whose
// bytes come from proto.Marshal in this package, or says why there is
// none.
func (c *checker) suggest(ff flowFinding, d *analysis.Diagnostic) {
	if !rewrite.Wanted(c.pass) {
		return
	}
	noFix := func(reason string) {
		d.Related = append(d.Related, rewrite.NoFix(ff.At.Pos(), reason))
	}
	o := ff.Origin
	switch {
	case o.Enc == encJSONv2 && o.Call != nil && c.inPackage(o.Call):
		fix, err := deterministicJSONv2Fix(c.pass, o.Call)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	case o.Enc == encJSONv2:
		noFix("the bytes are produced in another package")
	case o.Enc != encProto:
		noFix("no deterministic mode to switch on for this encoding: sort the entries or encode a sorted slice")
	case o.Call == nil || !c.inPackage(o.Call):
		noFix("the bytes are produced in another package")
	default:
		fn := typeutil.StaticCallee(c.info, o.Call)
		switch {
		case fn == nil || fn.Pkg() == nil:
			noFix("the encoding call is dynamic")
			return
		case fn.Signature().Recv() != nil:
			noFix("the bytes come from a MarshalOptions value: set Deterministic: true in it")
			return
		case fn.Pkg().Path() != "google.golang.org/protobuf/proto" || fn.Name() != "Marshal":
			noFix(fmt.Sprintf("the bytes are encoded by %s.%s: make that encoding deterministic", fn.Pkg().Path(), fn.Name()))
			return
		}
		fix, err := deterministicProtoFix(c.pass, o.Call)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
}

// inPackage reports whether n is in one of the pass's files.
func (c *checker) inPackage(n ast.Node) bool {
	for _, f := range c.pass.Files {
		if f.FileStart <= n.Pos() && n.End() <= f.FileEnd {
			return true
		}
	}
	return false
}

func (c *checker) flowDiagnostic(ff flowFinding) analysis.Diagnostic {
	o := ff.Origin
	detail := "contains " + o.MapPath
	if o.MapPath == "a map" {
		detail = "is a map"
	}
	if o.Via != "" {
		detail += ", encoded by " + o.Via
	}
	d := analysis.Diagnostic{
		Pos:      ff.At.Pos(),
		End:      ff.At.End(),
		Category: o.Enc.name() + "-" + ff.Kind.name(),
		Message: fmt.Sprintf("%s of %s (%s) %s: %s, so %s; %s",
			o.Enc.bytesName(), o.TypeName, detail, ff.Sink, o.Enc.reason(), ff.Kind.consequence(), o.Enc.fix()),
	}
	if o.EncodePos.IsValid() && c.fileOf(o.EncodePos) != nil && c.pass.Fset.Position(o.EncodePos).Line != c.pass.Fset.Position(d.Pos).Line {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: o.EncodePos, Message: "encoded here"})
	}
	if ff.SinkPos.IsValid() && c.fileOf(ff.SinkPos) != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: ff.SinkPos, Message: "used here"})
	}
	return d
}

func (c *checker) jsonDiagnostic(jf jsonFinding) analysis.Diagnostic {
	d := analysis.Diagnostic{Category: "jsonv2-" + string(jf.Rule), Message: jf.Message}
	if jf.Field != nil && jf.Field.Pkg() == c.pass.Pkg && c.fileOf(jf.Field.Pos()) != nil {
		d.Pos = jf.Field.Pos()
		d.Related = []analysis.RelatedInformation{{Pos: jf.Call.Pos(), End: jf.Call.End(), Message: "marshalled or unmarshalled here"}}
		return d
	}
	d.Pos, d.End = jf.At.Pos(), jf.At.End()
	if len(jf.Also) > 0 {
		d.Message += " (also affected: " + strings.Join(jf.Also, ", ") + ")"
	}
	return d
}

// typeName renders t for a message, relative to the current package and
// without pointers.
func (c *checker) typeName(t types.Type) string {
	for {
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			break
		}
		t = p.Elem()
	}
	return c.typeString(t)
}

// typeString renders t for a message, relative to the current package.
func (c *checker) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	})
}

// isStd reports whether path is a standard-library package: one whose
// source lives under GOROOT/src. Module paths without dots are common, so
// the shape of the path alone cannot tell.
func (c *checker) isStd(path string) bool {
	if v, ok := c.stdCache[path]; ok {
		return v
	}
	std := false
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") && c.goroot != "" {
		if fi, err := os.Stat(filepath.Join(c.goroot, "src", filepath.FromSlash(path))); err == nil && fi.IsDir() {
			std = true
		}
	}
	c.stdCache[path] = std
	return std
}
