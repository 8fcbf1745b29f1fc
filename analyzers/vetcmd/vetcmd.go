// Package vetcmd implements `upshift vet`: load packages once with type
// information, run upshift's analyzers over them, and print the findings as
// text, JSON (the layout of `go vet -json`) or SARIF 2.1.0.
package vetcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/upshift-dev/upshift/rewrite"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/internal/command"
)

// DirectiveCheck describes the findings upshift vet makes about the
// //upshift:ignore directives themselves (unknown analyzer names). Malformed
// and unused directives are reported by the analyzer they name.
var DirectiveCheck = meta.Check{
	Name:     "directive",
	ID:       "UP1000",
	Title:    "report //upshift:ignore directives that name no analyzer",
	Why:      "a suppression that names no analyzer suppresses nothing, so the finding it was meant for still fires or was renamed away",
	Since:    "v0.1.0",
	Severity: "warning",
	Tier:     tier.None,
	URL:      meta.DocsURL + "suppress",
}

// Suite is what `upshift vet` runs: the checks of the registry (or of a
// test), each carrying its analyzer.
type Suite struct {
	Checks []meta.Check
}

// Analyzers returns the suite's analyzers, in the order of its checks.
func (s Suite) Analyzers() []*analysis.Analyzer {
	return registry.AnalyzersOf(s.Checks)
}

// check returns the metadata of the named analyzer.
func (s Suite) check(name string) meta.Check {
	for _, c := range s.Checks {
		if c.Name == name {
			return c
		}
	}
	if name == DirectiveCheck.Name {
		return DirectiveCheck
	}
	return meta.Check{Name: name, ID: name}
}

// Finding is one diagnostic, resolved to positions, ready to print.
type Finding struct {
	Analyzer string
	ID       string
	Package  string
	Category string
	Pos      token.Position
	End      token.Position
	Message  string
	Related  []Related
	// Fixes keeps the suggested fixes for the JSON output.
	Fixes []analysis.SuggestedFix
	fset  *token.FileSet
}

// Related is a secondary position of a finding, such as the sink.
type Related struct {
	Pos     token.Position
	End     token.Position
	Message string
}

const usage = `usage: upshift vet [-format text|json|sarif] [-only a,b] [-tags list] [-test=false] [analyzer flags] [packages]

Runs upshift's migration-hazard analyzers over the packages (default ./...).
Exit status: 0 no findings, 1 findings, 2 failure (bad flags, packages that
do not load; their errors are printed and nothing is reported as clean).

Examples:
  upshift vet ./...
  upshift vet -only maporder,bytestring -format sarif ./... > upshift.sarif
  upshift vet -godebug.to=go1.26 ./cmd/...

Suppress one finding with a reason, on its line or the line above:
  //upshift:ignore maporder output is sorted by the caller

Flags:
`

// Main runs `upshift vet` with args (after the word "vet").
func Main(ctx context.Context, env command.Env, set Suite, args []string) int {
	fs := flag.NewFlagSet("upshift vet", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", "output format: text, json or sarif")
	only := fs.String("only", "", "comma-separated analyzers to run (default: all)")
	tags := fs.String("tags", "", "comma-separated build tags to apply when loading packages")
	tests := fs.Bool("test", true, "also analyze test files")
	timing := fs.Bool("debug.timing", false, "print each analyzer's total run time on stderr")
	// Analyzer flags are lifted to the top level as -<analyzer>.<flag>,
	// the same names go vet uses for a vettool.
	for _, a := range set.Analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
		fmt.Fprintln(env.Stderr, "\nAnalyzers (upshift explain NAME for details):")
		for _, c := range set.Checks {
			fmt.Fprintf(env.Stderr, "  %-11s %s  %s\n", c.Name, c.ID, c.Title)
		}
	}
	patterns, err := command.ParseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK
		}
		return command.ExitError
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		return env.Errorf("vet", "unknown -format %q: use text, json or sarif", *format)
	}
	// Fixes are built only for the JSON output, which carries them, every
	// tier (each fix's message starts with its tier).
	defer rewrite.SetWanted(rewrite.SetWanted(*format == "json"))
	defer rewrite.SetMaxTier(rewrite.SetMaxTier(tier.Behavior))
	analyzers, err := registry.Select(set.Analyzers(), *only)
	if err != nil {
		return env.Errorf("vet", "%v", err)
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	if err := command.CheckModule(env.Dir); err != nil {
		return env.Errorf("vet", "%v", err)
	}

	progress := command.NewProgress(env, "upshift vet")
	progress.Set("loading packages")
	pkgs, err := load(ctx, env.Dir, patterns, *tags, *tests)
	if err != nil {
		progress.Done()
		return env.Errorf("vet", "%v", err)
	}
	if loadErrs := loadErrors(pkgs, env.Dir); len(loadErrs) > 0 {
		progress.Done()
		for _, e := range loadErrs {
			fmt.Fprintln(env.Stderr, e)
		}
		return env.Errorf("vet", "%d package error(s): fix them first; nothing was analyzed", len(loadErrs))
	}
	if len(pkgs) == 0 {
		progress.Done()
		return env.Errorf("vet", "no packages match %s", strings.Join(patterns, " "))
	}
	progress.Set(fmt.Sprintf("analyzing %d packages", len(pkgs)))
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	progress.Done()
	if err != nil {
		return env.Errorf("vet", "%v", err)
	}
	var findings []Finding
	var failures []failure
	durations := map[string]time.Duration{}
	for act := range graph.All() {
		durations[act.Analyzer.Name] += act.Duration
		if act.Err != nil && act.IsRoot {
			failures = append(failures, failure{pkg: act.Package.PkgPath, analyzer: act.Analyzer.Name, err: act.Err.Error()})
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			findings = append(findings, newFinding(set, act.Package, act.Analyzer.Name, d))
		}
	}
	findings = append(findings, unknownDirectives(set, pkgs)...)
	findings = dedupe(findings)
	if *timing {
		for _, a := range analyzers {
			fmt.Fprintf(env.Stderr, "upshift vet: %-12s %v\n", a.Name, durations[a.Name].Round(time.Millisecond))
		}
	}
	if len(failures) > 0 {
		return reportFailures(env, failures)
	}

	var perr error
	switch *format {
	case "text":
		perr = printText(env.Stdout, env.Dir, findings)
	case "json":
		perr = printJSON(env.Stdout, findings)
	case "sarif":
		perr = printSARIF(env.Stdout, command.RepoRoot(ctx, env.Dir), set, findings)
	}
	if perr != nil {
		return env.Errorf("vet", "writing output: %v", perr)
	}
	if len(findings) > 0 {
		return command.ExitFindings
	}
	return command.ExitOK
}

func load(ctx context.Context, dir string, patterns []string, tags string, tests bool) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.LoadAllSyntax | packages.NeedModule,
		Dir:     dir,
		Tests:   tests,
	}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	// The synthesized test main ("p.test") has no source of its own.
	return slices.DeleteFunc(pkgs, func(p *packages.Package) bool {
		return strings.HasSuffix(p.ID, ".test") && p.Name == "main" && len(p.CompiledGoFiles) > 0 &&
			strings.Contains(p.CompiledGoFiles[0], "go-build")
	}), nil
}

// loadErrors collects every error of the loaded packages and their
// dependencies, once each, as "file:line:col: message" relative to dir.
func loadErrors(pkgs []*packages.Package, dir string) []string {
	seen := map[string]bool{}
	var out []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			msg := e.Msg
			if e.Pos != "" && e.Pos != "-" {
				msg = relPath(dir, e.Pos) + ": " + msg
			} else {
				msg = p.PkgPath + ": " + msg
			}
			if !seen[msg] {
				seen[msg] = true
				out = append(out, msg)
			}
		}
	})
	return out
}

func newFinding(set Suite, pkg *packages.Package, analyzer string, d analysis.Diagnostic) Finding {
	fset := pkg.Fset
	f := Finding{
		Analyzer: analyzer,
		ID:       set.check(analyzer).ID,
		Package:  pkg.PkgPath,
		Category: d.Category,
		Pos:      fset.Position(d.Pos),
		Message:  d.Message,
		Fixes:    d.SuggestedFixes,
		fset:     fset,
	}
	if d.End.IsValid() {
		f.End = fset.Position(d.End)
	}
	for _, r := range d.Related {
		rel := Related{Pos: fset.Position(r.Pos), Message: r.Message}
		if r.End.IsValid() {
			rel.End = fset.Position(r.End)
		}
		f.Related = append(f.Related, rel)
	}
	return f
}

// unknownDirectives reports //upshift:ignore directives naming analyzers
// that upshift does not have.
func unknownDirectives(set Suite, pkgs []*packages.Package) []Finding {
	known := map[string]bool{}
	for _, c := range set.Checks {
		known[c.Name] = true
	}
	var out []Finding
	for _, p := range pkgs {
		for _, file := range p.Syntax {
			for _, d := range suppress.Parse(p.Fset, file) {
				for _, name := range d.Analyzers {
					if known[name] {
						continue
					}
					msg := fmt.Sprintf("//upshift:ignore names unknown analyzer %q: it suppresses nothing", name)
					if name == "" {
						msg = "//upshift:ignore needs an analyzer name and a reason"
					}
					out = append(out, Finding{
						Analyzer: DirectiveCheck.Name, ID: DirectiveCheck.ID, Package: p.PkgPath,
						Category: "suppression", Pos: p.Fset.Position(d.Pos), Message: msg, fset: p.Fset,
					})
				}
				if len(d.Analyzers) == 0 {
					out = append(out, Finding{
						Analyzer: DirectiveCheck.Name, ID: DirectiveCheck.ID, Package: p.PkgPath,
						Category: "suppression", Pos: p.Fset.Position(d.Pos),
						Message: "//upshift:ignore needs an analyzer name and a reason", fset: p.Fset,
					})
				}
			}
		}
	}
	return out
}

// dedupe drops the copies that test variants of a package produce for its
// non-test files, and sorts by position.
func dedupe(findings []Finding) []Finding {
	slices.SortStableFunc(findings, func(a, b Finding) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column - b.Pos.Column
		}
		if c := strings.Compare(a.Analyzer, b.Analyzer); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.CompactFunc(findings, func(a, b Finding) bool {
		return a.Pos == b.Pos && a.Analyzer == b.Analyzer && a.Message == b.Message
	})
}

func relPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// failure is an analyzer's error on one package.
type failure struct{ pkg, analyzer, err string }

// reportFailures prints each distinct analyzer error once, with the
// command's prefix: a bad analyzer flag (-godebug.to=banana) fails the same
// way in every package, and saying so once per package buries it.
func reportFailures(env command.Env, failures []failure) int {
	type key struct{ analyzer, err string }
	pkgs := map[key][]string{}
	var order []key
	for _, f := range failures {
		k := key{f.analyzer, f.err}
		if pkgs[k] == nil {
			order = append(order, k)
		}
		pkgs[k] = append(pkgs[k], f.pkg)
	}
	slices.SortFunc(order, func(a, b key) int { return strings.Compare(a.analyzer+a.err, b.analyzer+b.err) })
	for _, k := range order {
		where := pkgs[k][0]
		if n := len(pkgs[k]); n > 1 {
			slices.Sort(pkgs[k])
			where = fmt.Sprintf("%s and %d other package(s)", pkgs[k][0], n-1)
		}
		env.Errorf("vet", "%s: %s (in %s)", k.analyzer, k.err, where)
	}
	return command.ExitError
}
