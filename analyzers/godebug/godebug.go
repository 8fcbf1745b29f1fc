package godebug

import (
	_ "embed"
	"fmt"
	"go/ast"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/upshift-dev/upshift/internal/godebugs"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/rewrite"
)

//go:embed doc.go
var doc string

// FlagTo is the name of the analyzer's flag holding the target go line
// (-godebug.to under go vet and upshift).
const FlagTo = "to"

// Analyzer reports code whose behaviour changes because a GODEBUG default
// flips between the module's go line and the target go line (-godebug.to).
var Analyzer = kit.NewAnalyzer("godebug", doc, run)

func init() {
	// The value lives in the FlagSet itself (read back in run), so the
	// package keeps no state of its own.
	Analyzer.Flags.String(FlagTo, godebugs.ToolchainLang(),
		"go line the module moves to")
}

// Check is the metadata behind `upshift explain godebug`.
var Check = meta.CheckOf(Analyzer, meta.Check{
	ID: "UP1005",
	Finds: "code whose behaviour a go-line bump changes through GODEBUG defaults (from the module's go " +
		"line to `-godebug.to`, default the running toolchain): blocking timer drains (1.23), " +
		"ServeMux patterns (1.22), `panic(nil)` (1.21), `rand.Seed` (1.24), `*types.Named` " +
		"assertions (1.23), TLS/x509/url/GOMAXPROCS/crypto-rand settings. Each finding names the " +
		"setting and the `godebug` line that keeps the old behaviour; code behind a setting the " +
		"module pins to its old value is still reported, marked `pinned:`, so each pin can be " +
		"judged and dropped; the table is generated from the installed Go source.",
	Why: "The main module's go line selects GODEBUG defaults. Raising it from go1.21 to go1.26 silently " +
		"switches on about twenty behaviour changes: timer drains that hang, ServeMux patterns that start " +
		"routing, panic(nil) that recover() now sees, rand.Seed that stops reseeding, go/types aliases that " +
		"break type assertions. Nothing fails to compile; services hang or misroute in production.",
	Before: `t := time.NewTimer(d)
// ...
if !t.Stop() {
	<-t.C // blocks forever once the go line reaches go1.23
}
t.Reset(d)`,
	After: `t := time.NewTimer(d)
// ...
if !t.Stop() {
	select {
	case <-t.C:
	default:
	}
}
t.Reset(d)`,
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.Safe,
})

// finding is one hazard found by a detector, before it becomes a
// diagnostic. A fix engine needs the nodes, so they are kept as such.
type finding struct {
	setting string   // GODEBUG key; also the diagnostic category
	node    ast.Node // the code whose behaviour changes
	related ast.Node // where the hazard comes from, if elsewhere (may be nil)
	relMsg  string   // what related points at
	what    string   // the consequence, in plain words
	fix     string   // the code change that removes the hazard
	// drain is the blocking timer drain that nonBlockingDrainFix
	// rewrites; nil for findings without a mechanical rewrite.
	drain ast.Stmt
	// seed is the rand.Seed call that localGeneratorFix replaces;
	// nil for other findings.
	seed *ast.CallExpr
	// noFix says why a finding of a fixable kind has no rewrite.
	noFix string
}

// window is the go-line change under analysis.
type window struct {
	from, to string                      // language versions for messages, e.g. "go1.21", "go1.26"
	settings map[string]godebugs.Setting // settings that flip, and those pinned to their old value
	// pins maps the settings the module keeps at their old value to the
	// directive that does it: their findings stay visible, marked as
	// pinned, so that each pin can be judged and dropped (see upshift bump).
	pins map[string]string
}

func (w window) active(name string) bool {
	_, ok := w.settings[name]
	return ok
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Install(pass)()

	w, err := newWindow(pass)
	if err != nil {
		return nil, err
	}
	if len(w.settings) == 0 {
		return nil, nil
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for _, f := range detect(pass, insp, w) {
		s := w.settings[f.setting]
		msg := fmt.Sprintf("%s (GODEBUG %s changed in %s; this module moves from %s to %s): %s, or keep the old behaviour with `%s` in go.mod",
			f.what, s.Name, s.Changed, w.from, w.to, f.fix, s.GodebugLine())
		if pin, ok := w.pins[f.setting]; ok {
			msg = fmt.Sprintf("pinned: %s once the pin goes (GODEBUG %s changed in %s; `%s` keeps the old behaviour for now): %s, then drop the pin",
				f.what, s.Name, s.Changed, pin, f.fix)
		}
		d := analysis.Diagnostic{
			Pos:      f.node.Pos(),
			End:      f.node.End(),
			Category: f.setting,
			Message:  msg,
		}
		if f.related != nil {
			d.Related = []analysis.RelatedInformation{{Pos: f.related.Pos(), End: f.related.End(), Message: f.relMsg}}
		}
		suggest(pass, f, s, &d)
		pass.Report(d)
	}
	return nil, nil
}

// suggest attaches the finding's rewrite, or says why there is none and
// what keeps the old behaviour instead.
func suggest(pass *analysis.Pass, f finding, s godebugs.Setting, d *analysis.Diagnostic) {
	if !rewrite.Wanted(pass) {
		return
	}
	if f.drain != nil {
		fix, err := nonBlockingDrainFix(pass, f.drain)
		if err == nil {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
			return
		}
		d.Related = append(d.Related, rewrite.NoFix(f.node.Pos(), err.Error()))
		return
	}
	reason := f.noFix
	if f.seed != nil {
		fix, err := localGeneratorFix(pass, f.seed)
		if err == nil {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
			return
		}
		reason = err.Error()
	}
	if reason == "" {
		reason = "no mechanical code change"
	}
	d.Related = append(d.Related, rewrite.NoFix(f.node.Pos(),
		fmt.Sprintf("%s; `upshift bump -pin` keeps the old behaviour with `%s` in go.mod", reason, s.GodebugLine())))
}

// newWindow works out which settings flip for this package: those that
// changed after the module's go line (or its godebug default) and no later
// than -godebug.to, and that the module does not pin itself.
func newWindow(pass *analysis.Pass) (window, error) {
	raw := pass.Analyzer.Flags.Lookup(FlagTo).Value.String()
	to := godebugs.Normalize(raw)
	if _, ok := godebugs.Minor(to); !ok {
		return window{}, fmt.Errorf("invalid -godebug.%s value %q: want a Go version such as go1.26", FlagTo, raw)
	}
	from := goLine(pass)
	ov, err := readOverrides(pass, from != "")
	if err != nil {
		return window{}, err
	}
	if ov.base != "" {
		from = ov.base
	}
	if from == "" {
		// No module (GOPATH mode): the go command uses the oldest defaults.
		from = fmt.Sprintf("go1.%d", godebugs.Floor)
	}
	w := window{from: from, to: to, settings: make(map[string]godebugs.Setting), pins: make(map[string]string)}
	for _, s := range godebugs.Flipped(from, to) {
		if _, pinned := ov.pinned[s.Name]; !pinned {
			w.settings[s.Name] = s
		}
	}
	// A setting pinned to its old value hides nothing: the code it affects
	// changes the day the pin is dropped, whether the go line crossed the
	// change before or crosses it now.
	for _, s := range godebugs.Flipped("go1.1", to) { // every setting changed up to to
		if v, ok := ov.pinned[s.Name]; ok && v == s.Old {
			w.settings[s.Name] = s
			w.pins[s.Name] = ov.where[s.Name]
		}
	}
	return w, nil
}

// goLine returns the language version of the package's module go line, or
// "" if the driver does not know it.
func goLine(pass *analysis.Pass) string {
	if pass.Module != nil && pass.Module.GoVersion != "" {
		if v := godebugs.Normalize(pass.Module.GoVersion); v != "" {
			return v
		}
	}
	if v := godebugs.Normalize(pass.Pkg.GoVersion()); v != "" && pass.Pkg.GoVersion() != "" {
		return v
	}
	// File versions can be raised by //go:build lines; they are only a
	// fallback for drivers that report nothing else.
	for _, file := range pass.Files {
		if v := pass.TypesInfo.FileVersions[file]; v != "" {
			return godebugs.Normalize(v)
		}
	}
	return ""
}
