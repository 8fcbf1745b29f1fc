// Package migratecmd implements `upshift migrate`: the staged move of a
// module to a newer go line that `upshift plan` describes, done on a new
// git branch, one commit per stage, each stage verified against the test
// outcomes of the baseline (and, with -perf=bench, against the previous
// stage's instructions/op, with -perf=capacity against the previous
// stage's service capacity, as upshift perf capacity measures it) before
// the next one starts.
//
// The work happens in a temporary git worktree: the user's checkout and
// current branch stay as they were. The branch is the ledger: every stage
// commit carries Upshift-* trailers that -status reads back and -continue
// resumes from.
package migratecmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/godebugs"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/perfcheck/capacity"
)

const usage = `usage: upshift migrate [-to VERSION] [-tier safe|behavior] [-moves] [-perf off|bench|capacity] [-branch NAME]
                       [-report FILE.md|FILE.html] [-short] [-json] [-continue | -status] [packages]

Moves the module in the current directory (its root, in a clean git work
tree) to go line VERSION on a new branch, upshift/goVERSION by default,
one commit per stage, in a temporary git worktree: your checkout and your
current branch are not touched.

  0 baseline      build, and record the outcome of every test at the
                  current go line (tests failing already are never blamed)
  1 neutral bump  go line raised, every flipped GODEBUG default pinned
                  (upshift bump); DefaultGODEBUG and test outcomes equal
  2 safe fixes    upshift fix (safe tier)
  2 dep. moves    with -moves: upshift fix -move OLD=NEW for each move of
                  the curated table that applies (upshift plan lists
                  them), one commit per move; a move that breaks a test
                  is left out; packages that cannot move whole stay on
                  the old module and are named
  3 behavior      with -tier=behavior: upshift fix -tier=behavior, one
                  commit per analyzer. At the safe tier, the fixes that are
                  behavior tier only because a test could observe an order
                  (maporder): kept where every test still passes, the
                  others left out and named
  4 unpin         each pin dropped when no finding for its setting is left
                  and the tests still match; otherwise kept, with the reason
  5 cleanups      //go:build go1.21 lines of the bump dropped where the
                  loopvar analyzer finds nothing left

After every stage the tests run (only failures of tests that passed at the
baseline count) and, with -perf=bench, upshift perf bench compares the
benchmarks' instructions/op (valgrind) with the previous stage; with
-perf=capacity, upshift perf capacity compares the service's capacity
(req/s within an SLO, CPU and memory budget; Linux only) with the previous
stage's, with the perf: settings of .upshift.yaml (perf.package, the
service's main package, is required). A capacity FAIL (the change's
interval below perf.target, default -5%) fails the stage; INCONCLUSIVE is
a note. A fix stage that breaks a test, a benchmark or the capacity is
bisected, by file then by fix; the culprits are left out and reported with
what they break.

Flags override .upshift.yaml at the module root (schema:
migrate/migratecmd/upshift.schema.json).

Exit status: 0 every stage verified, 1 a stage failed verification (the
branch ends at the last good stage; the failing tests, benchmarks or
capacity regression are named), 2 error (dirty work tree, not a module
root, bad flags or config, -perf capacity off Linux, baseline that does
not build).

Examples:
  upshift migrate -to 1.26 ./...
  upshift migrate -to 1.26 -tier behavior -report migration.md
  upshift migrate -to 1.26 -moves  # also github.com/pkg/errors -> errors, ...
  upshift migrate -to 1.26 -perf capacity  # perf: {package: ./cmd/server, paths: [/items]} in .upshift.yaml
  upshift migrate -status
  upshift migrate -continue        # after fixing a failed stage on the branch

Flags:
`

// options are the settings of one run, from the flags over the config.
type options struct {
	target   string // "go1.26"
	tier     tier.Tier
	moves    bool
	perf     string
	branch   string
	report   string
	short    bool
	cont     bool
	status   bool
	json     bool
	patterns []string
	cfg      *Config
	// capacity is the -perf capacity comparison's Config, without its
	// directory and versions (nil unless -perf capacity).
	capacity *capacity.Config
}

// Main runs `upshift migrate` with args (after the word "migrate").
func Main(ctx context.Context, env command.Env, args []string) int {
	fs := flag.NewFlagSet("upshift migrate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	to := fs.String("to", "", "target go line, e.g. 1.26 (default: .upshift.yaml's target, else the installed toolchain's)")
	tierFlag := fs.String("tier", "", "highest fix tier: safe (default) or behavior")
	moves := fs.Bool("moves", false, "run the dependency moves upshift plan lists as a stage after the safe fixes, one commit per move (default: .upshift.yaml's moves)")
	perf := fs.String("perf", "", "perf check after every stage: off (default), bench or capacity (default: .upshift.yaml's perf.mode)")
	branch := fs.String("branch", "", "branch to create (default upshift/goVERSION)")
	report := fs.String("report", "", "write a report of every stage to FILE.md or FILE.html")
	short := fs.Bool("short", false, "run the tests with -short")
	cont := fs.Bool("continue", false, "resume on the existing branch after a failed stage was fixed by hand")
	status := fs.Bool("status", false, "print the stages recorded on the branch and exit")
	asJSON := fs.Bool("json", false, "print the stages as JSON on stdout instead of a table")
	fs.Usage = func() { fmt.Fprint(env.Stderr, usage); fs.PrintDefaults() }
	patterns, err := command.ParseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK
		}
		return command.ExitError
	}
	if *cont && *status {
		return env.Errorf("migrate", "-continue and -status do not go together")
	}
	if *report != "" && !strings.HasSuffix(*report, ".md") && !strings.HasSuffix(*report, ".html") {
		return env.Errorf("migrate", "-report %s: want a file ending in .md or .html", *report)
	}
	if _, err := os.Stat(filepath.Join(env.Dir, "go.mod")); err != nil {
		if cerr := command.CheckModule(env.Dir); cerr != nil {
			return env.Errorf("migrate", "%v", cerr)
		}
		return env.Errorf("migrate", "%s is not a module root (no go.mod here): run upshift migrate where go.mod is, or pass -C DIR", env.Dir)
	}
	cfg, err := LoadConfig(env.Dir)
	if err != nil {
		return env.Errorf("migrate", "%v", err)
	}
	o := options{branch: *branch, report: *report, short: *short, cont: *cont, status: *status, json: *asJSON, patterns: patterns, cfg: cfg}
	o.target = godebugs.Normalize(firstOf(*to, cfg.Target, godebugs.ToolchainLang()))
	if o.target == "" || !version.IsValid(o.target) {
		return env.Errorf("migrate", "-to %q: want a Go version such as 1.26", firstOf(*to, cfg.Target))
	}
	o.target = version.Lang(o.target)
	if tc := godebugs.ToolchainLang(); tc != "" && version.Compare(o.target, tc) > 0 {
		return env.Errorf("migrate", "-to %s is newer than the installed Go toolchain (%s)", strings.TrimPrefix(o.target, "go"), strings.TrimPrefix(tc, "go"))
	}
	switch t := firstOf(*tierFlag, cfg.Tier, string(tier.Safe)); t {
	case string(tier.Safe), string(tier.Behavior):
		o.tier = tier.Tier(t)
	default:
		return env.Errorf("migrate", "unknown -tier %q: use safe or behavior", t)
	}
	o.moves = cfg.Moves
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "moves" {
			o.moves = *moves // -moves=false overrides moves: true
		}
	})
	switch o.perf = firstOf(*perf, cfg.Perf.Mode, "off"); o.perf {
	case "off", "bench":
	case "capacity":
		// Checked now, not at stage 1 after the baseline's tests; -status
		// measures nothing, so it reads the ledger on any system.
		if !o.status {
			if o.capacity, err = cfg.capacityConfig(ctx, env.Dir); err != nil {
				return env.Errorf("migrate", "%v", err)
			}
		}
	default:
		return env.Errorf("migrate", "unknown -perf %q: use off, bench or capacity", o.perf)
	}
	if o.branch == "" {
		o.branch = "upshift/" + o.target
	}
	if len(o.patterns) == 0 {
		o.patterns = []string{"./..."}
	}
	restore, err := setAnalyzerFlags(registry.Analyzers(), cfg.Analyzers, o.target)
	if err != nil {
		return env.Errorf("migrate", "%s: %v", ConfigFile, err)
	}
	defer restore()

	r := repo{dir: env.Dir}
	prefix, err := r.git(ctx, "rev-parse", "--show-prefix")
	if err != nil {
		return env.Errorf("migrate", "%s is not in a git work tree: migrate records its stages as commits on a branch (git init first)", env.Dir)
	}
	if o.status {
		return showStatus(ctx, env, r, o)
	}
	if d, err := r.dirty(ctx); err != nil {
		return env.Errorf("migrate", "%v", err)
	} else if d != "" {
		return env.Errorf("migrate", "the git work tree is not clean; commit or stash first:\n%s", d)
	}
	exists := r.branchExists(ctx, o.branch)
	switch {
	case o.cont && !exists:
		return env.Errorf("migrate", "-continue: branch %s does not exist; start with upshift migrate -to %s", o.branch, strings.TrimPrefix(o.target, "go"))
	case !o.cont && exists:
		return env.Errorf("migrate", "branch %s exists: resume it with -continue, read it with -status, or choose another with -branch", o.branch)
	}
	if wt := r.checkedOutIn(ctx, o.branch); wt != "" {
		return env.Errorf("migrate", "branch %s is checked out in %s: switch that work tree to another branch first (migrate works on the branch in a worktree of its own)", o.branch, wt)
	}
	m := &migration{env: env, opts: o, user: r, prefix: prefix}
	code := m.run(ctx)
	if o.report != "" && len(m.stages) > 0 {
		if err := writeReport(o.report, m.reportData()); err != nil {
			return env.Errorf("migrate", "writing the report: %v", err)
		}
		fmt.Fprintf(env.Stderr, "upshift migrate: report written to %s\n", o.report)
	}
	return code
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// setAnalyzerFlags sets the godebug analyzer's target and the flags of
// .upshift.yaml, and returns a function that restores the old values
// (analyzer flags are process-wide; tests run migrate in-process).
func setAnalyzerFlags(as []*analysis.Analyzer, flags map[string]map[string]string, target string) (func(), error) {
	var undo []func()
	restore := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	set := func(a *analysis.Analyzer, name, value string) error {
		f := a.Flags.Lookup(name)
		if f == nil {
			return fmt.Errorf("analyzers.%s: unknown flag %q", a.Name, name)
		}
		old := f.Value.String()
		if err := f.Value.Set(value); err != nil {
			return fmt.Errorf("analyzers.%s.%s: %v", a.Name, name, err)
		}
		undo = append(undo, func() { f.Value.Set(old) })
		return nil
	}
	byName := map[string]*analysis.Analyzer{}
	for _, a := range as {
		byName[a.Name] = a
	}
	for name, fl := range flags {
		a := byName[name]
		if a == nil {
			restore()
			return nil, fmt.Errorf("analyzers: unknown analyzer %q", name)
		}
		for k, v := range fl {
			if err := set(a, k, v); err != nil {
				restore()
				return nil, err
			}
		}
	}
	if err := set(godebug.Analyzer, godebug.FlagTo, target); err != nil {
		restore()
		return nil, err
	}
	return restore, nil
}
