// Package vetcmd implements `upshift vet`: the go command's vet tool
// protocol runs upshift's analyzers on each package in a process of its
// own, in parallel, with facts in vetx files and results in the build
// cache (go vet -vettool=upshift -json); upshift vet reads what they
// found and prints it as text, JSON (the layout of `go vet -json`) or
// SARIF 2.1.0. The same binary is the vet tool (ServeTool).
package vetcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/registry"
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
	// Tool is the binary go vet runs as its -vettool; it must serve this
	// suite (ServeTool). Empty means this executable.
	Tool string
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
type Finding = govet.Finding

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
	verbose := fs.Bool("v", false, "say how many packages were analyzed and how many came from the go build cache, and name the analyzed ones")
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

	tool := set.Tool
	if tool == "" {
		if tool, err = govet.Self(); err != nil {
			return env.Errorf("vet", "%v", err)
		}
	}
	var names []string
	for _, a := range analyzers {
		names = append(names, a.Name)
	}
	progress := command.NewProgress(env, "upshift vet")
	progress.Set("go vet: loading packages")
	start := time.Now()
	res, err := govet.Run{
		Dir: env.Dir, Tool: tool, Analyzers: append(names, DirectiveCheck.Name), Flags: govet.ChangedFlags(analyzers), Tags: *tags,
		Fixes: *format == "json", FixTier: string(tier.Behavior),
		Progress: func(n int) { progress.Set(fmt.Sprintf("go vet: %d packages done", n)) },
	}.Do(ctx, patterns)
	progress.Done()
	if err != nil {
		return env.Errorf("vet", "%v", err)
	}
	if *verbose {
		fmt.Fprintf(env.Stderr, "upshift vet: %d packages in %v: %d analyzed, %d from the go build cache; %d dependencies analyzed for facts\n",
			res.Packages, time.Since(start).Round(time.Millisecond), len(res.Analyzed), max(res.Packages-len(res.Analyzed), 0), res.FactsOnly)
		for _, p := range res.Analyzed {
			fmt.Fprintf(env.Stderr, "upshift vet: analyzed %s\n", p)
		}
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			fmt.Fprintln(env.Stderr, e.Text)
		}
		return env.Errorf("vet", "package errors: fix them first; nothing is reported as clean")
	}
	if len(res.Failures) > 0 {
		return reportFailures(env, res.Failures)
	}
	if res.Packages == 0 {
		return env.Errorf("vet", "no packages match %s", strings.Join(patterns, " "))
	}
	findings := res.Findings
	if !*tests {
		findings = slices.DeleteFunc(findings, func(f Finding) bool { return strings.HasSuffix(f.Pos.Filename, "_test.go") })
	}
	for i := range findings {
		findings[i].ID = set.check(findings[i].Analyzer).ID
	}
	findings = dedupe(findings)

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

// reportFailures prints each distinct analyzer error once, with the
// command's prefix: a bad analyzer flag (-godebug.to=banana) fails the same
// way in every package, and saying so once per package buries it.
func reportFailures(env command.Env, failures []govet.Failure) int {
	type key struct{ analyzer, err string }
	pkgs := map[key][]string{}
	var order []key
	for _, f := range failures {
		k := key{f.Analyzer, f.Err}
		if pkgs[k] == nil {
			order = append(order, k)
		}
		if !slices.Contains(pkgs[k], f.Package) {
			pkgs[k] = append(pkgs[k], f.Package)
		}
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
