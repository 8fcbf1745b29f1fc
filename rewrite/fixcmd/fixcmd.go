// Package fixcmd implements `upshift fix`: batch codemods over whole
// modules, with a git-apply-able diff for CI, atomic writes, and a report of
// every fix's fate.
package fixcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/unidiff"
	"github.com/upshift-dev/upshift/rewrite/engine"
	"github.com/upshift-dev/upshift/rewrite/movefix"
)

const usage = `usage: upshift fix [-diff | -w] [-json] [-only a,b] [-tier safe|behavior] [-tags list] [-test=false] [-move OLD=NEW] [packages]

Applies upshift's automatic fixes in batch, to a fixpoint, in one run. Every
touched package is type-checked afterwards; a file whose change does not
compile is rolled back and reported. Files are written atomically.

With neither -diff nor -w, prints a summary of what would change.
Exit status: 0 nothing to change (or everything written), 1 changes pending
(or some fixes rolled back or not applied), 2 failure (bad flags, input that
does not load or type-check, files that cannot be written: nothing written).

Examples:
  upshift fix ./...                      # what would change
  upshift fix -diff ./... | git apply    # review as a patch
  upshift fix -w ./...                   # write safe fixes
  upshift fix -w -tier=behavior -only wiredrift ./...
  upshift fix -json ./... > fixes.json   # every fix's fate
  upshift fix -move github.com/pkg/errors=errors -w ./...   # move a dependency

Flags:
`

// Main runs `upshift fix` with args (after the word "fix").
func Main(ctx context.Context, env command.Env, analyzers []*analysis.Analyzer, args []string) int {
	fs := flag.NewFlagSet("upshift fix", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	diff := fs.Bool("diff", false, "print a unified diff (git apply accepts it) and exit 1 when anything is pending")
	write := fs.Bool("w", false, "write the fixed files")
	asJSON := fs.Bool("json", false, "print each fix's fate as JSON")
	only := fs.String("only", "", "comma-separated analyzers whose fixes to apply (default: all)")
	tierFlag := fs.String("tier", "safe", "highest fix tier to apply: safe (behaviour kept) or behavior (output changes)")
	tags := fs.String("tags", "", "comma-separated build tags to apply when loading packages")
	tests := fs.Bool("test", true, "also fix test files")
	rounds := fs.Int("rounds", 5, "maximum fixpoint rounds")
	move := fs.String("move", "", "move a dependency instead of applying the analyzers' fixes: OLD=NEW[@VERSION] (e.g. github.com/pkg/errors=errors); go.mod and go.sum follow")
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
	}
	patterns, err := command.ParseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK
		}
		return command.ExitError
	}
	if *rounds < 1 {
		return env.Errorf("fix", "-rounds %d: want at least 1 round", *rounds)
	}
	if *diff && *write {
		return env.Errorf("fix", "-diff and -w do not go together: review with -diff, then write with -w")
	}
	if *tierFlag != string(tier.Safe) && *tierFlag != string(tier.Behavior) {
		return env.Errorf("fix", "unknown -tier %q: use safe or behavior", *tierFlag)
	}
	selected, err := registry.Select(analyzers, *only)
	if err != nil {
		return env.Errorf("fix", "%v", err)
	}
	if err := command.CheckModule(env.Dir); err != nil {
		return env.Errorf("fix", "%v", err)
	}
	var moveTgt *deps.Target
	var moveMod *deps.ModuleFile
	flags := govet.ChangedFlags(selected)
	if *move != "" {
		if moveTgt, moveMod, err = moveSetup(ctx, env, *move); err != nil {
			if errors.Is(err, deps.ErrNotRequired) {
				// Already moved: a second run has nothing to do.
				fmt.Fprintf(env.Stderr, "upshift fix: nothing to change: %v\n", err)
				return command.ExitOK
			}
			return env.Errorf("fix", "%v", err)
		}
		selected, flags = []*analysis.Analyzer{movefix.Analyzer}, movefix.Flags(moveTgt)
	}
	var loadEnv []string
	if moveTgt != nil {
		var cleanup func()
		if loadEnv, cleanup, err = moveEnv(ctx, moveMod, moveTgt); err != nil {
			return env.Errorf("fix", "-move: %v", err)
		}
		defer cleanup()
	}
	// The analyzers, and -move's, run through go vet with this binary as
	// the tool: one process per package, results from the go build cache.
	tool, err := govet.Self()
	if err != nil {
		return env.Errorf("fix", "%v", err)
	}
	progress := command.NewProgress(env, "upshift fix")
	res, err := engine.Run(ctx, engine.Options{
		Dir: env.Dir, Patterns: patterns, Tags: *tags, Tests: *tests,
		Analyzers: selected, Tier: tier.Tier(*tierFlag), MaxRounds: *rounds,
		Progress: progress.Set, BuildFlags: loadEnv,
		Tool: tool, Flags: flags,
	})
	progress.Done()
	if err != nil {
		return env.Errorf("fix", "%v", err)
	}
	if moveTgt != nil {
		if err := moveGoMod(ctx, res, moveMod, moveTgt); err != nil {
			return env.Errorf("fix", "-move: %v", err)
		}
	}
	root := command.RepoRoot(ctx, env.Dir)
	files := make([]string, 0, len(res.Changed))
	for f := range res.Changed {
		files = append(files, f)
	}
	slices.Sort(files)

	if *write {
		if err := writeAll(atomicfile.OS{}, res, files); err != nil {
			return env.Errorf("fix", "%v", err)
		}
	}
	switch {
	case *asJSON:
		if err := printJSON(env.Stdout, res, root); err != nil {
			return env.Errorf("fix", "writing output: %v", err)
		}
	case *diff:
		for _, f := range files {
			rel := relSlash(root, f)
			d, err := unified(rel, string(res.Original[f]), string(res.Changed[f]))
			if err != nil {
				return env.Errorf("fix", "diff of %s: %v", rel, err)
			}
			fmt.Fprint(env.Stdout, d)
		}
	}
	if !*asJSON {
		printSummary(env.Stderr, res, files, env.Dir, *write, *diff)
	}
	notDone := 0
	for _, o := range res.Outcomes {
		if o.Fate == engine.RolledBack || o.Fate == engine.Conflict {
			notDone++
		}
	}
	if len(files) > 0 && !*write {
		return command.ExitFindings
	}
	if notDone > 0 || res.Oscillation != "" {
		return command.ExitFindings
	}
	return command.ExitOK
}

// unified returns a diff with a/ and b/ prefixes relative to the
// repository root, the form `git apply` takes.
func unified(rel, before, after string) (string, error) {
	d, err := unidiff.Unified("a/"+rel, "b/"+rel, before, after)
	if err != nil {
		return "", err
	}
	return "diff --git a/" + rel + " b/" + rel + "\n" + d, nil
}

// writeAll writes every changed file, all or nothing (see
// atomicfile.WriteAllWith): every target is checked before the first is
// replaced, and a late failure restores the files already replaced. Files
// their owner marked read-only are refused up front, although rename
// would replace them: the mark says the owner does not want them changed.
func writeAll(ops atomicfile.Ops, res *engine.Result, files []string) error {
	var problems []string
	batch := map[string][]byte{}
	for _, f := range files {
		st, err := ops.Stat(f)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", f, err))
			continue
		}
		if st.Mode().Perm()&0o200 == 0 {
			problems = append(problems, fmt.Sprintf("%s: file is read-only", f))
			continue
		}
		batch[f] = res.Changed[f]
	}
	if len(problems) > 0 {
		return fmt.Errorf("cannot write; nothing was written:\n%s", strings.Join(problems, "\n"))
	}
	return atomicfile.WriteAllWith(ops, batch)
}

type jsonReport struct {
	Rounds      int              `json:"rounds"`
	Converged   bool             `json:"converged"`
	Oscillation string           `json:"oscillation,omitempty"`
	Files       []string         `json:"files_changed"`
	Excluded    []string         `json:"excluded_files,omitempty"`
	Fixes       []engine.Outcome `json:"fixes"`
}

func printJSON(w io.Writer, res *engine.Result, root string) error {
	rep := jsonReport{Rounds: res.Rounds, Converged: res.Converged, Oscillation: res.Oscillation,
		Files: []string{}, Fixes: []engine.Outcome{}}
	for f := range res.Changed {
		rep.Files = append(rep.Files, relSlash(root, f))
	}
	slices.Sort(rep.Files)
	for _, f := range res.Excluded {
		rep.Excluded = append(rep.Excluded, relSlash(root, f))
	}
	for _, o := range res.Outcomes {
		o.File = relSlash(root, o.File)
		rep.Fixes = append(rep.Fixes, o)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func printSummary(w io.Writer, res *engine.Result, files []string, dir string, wrote, diffed bool) {
	counts := map[engine.Fate]int{}
	perAnalyzer := map[string]int{}
	behavior := 0
	for _, o := range res.Outcomes {
		counts[o.Fate]++
		if o.Fate == engine.Applied {
			perAnalyzer[o.Analyzer]++
			if o.Tier == tier.Behavior {
				behavior++
			}
		}
	}
	verb := "would change"
	if wrote {
		verb = "changed"
	}
	if len(files) == 0 {
		fmt.Fprintln(w, "upshift fix: nothing to change")
	} else {
		var parts []string
		for a, n := range perAnalyzer {
			parts = append(parts, fmt.Sprintf("%s %d", a, n))
		}
		slices.Sort(parts)
		fmt.Fprintf(w, "upshift fix: %d fix(es) %s %d file(s) in %d round(s) (%s)\n",
			counts[engine.Applied], verb, len(files), res.Rounds, strings.Join(parts, ", "))
		if behavior > 0 {
			fmt.Fprintf(w, "upshift fix: %d of them are behavior-tier: they change output\n", behavior)
		}
		if !diffed && !wrote {
			for _, f := range files {
				fmt.Fprintf(w, "  %s\n", relSlash(dir, f))
			}
			fmt.Fprintln(w, "upshift fix: run with -diff to review, -w to write")
		}
	}
	for _, o := range res.Outcomes {
		if o.Fate == engine.Applied {
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s (%s): %s\n", relSlash(dir, o.File), o.Line, o.Column, o.Fate, o.Analyzer, o.Reason)
	}
	for _, f := range res.Excluded {
		fmt.Fprintf(w, "%s: not analyzed: excluded by build constraints (try -tags or GOOS/GOARCH)\n", relSlash(dir, f))
	}
	if res.Oscillation != "" {
		fmt.Fprintf(w, "upshift fix: stopped: %s\n", res.Oscillation)
	} else if !res.Converged {
		fmt.Fprintln(w, "upshift fix: did not converge within the round limit; raise -rounds")
	}
}

func relSlash(root, f string) string {
	if rel, err := filepath.Rel(root, f); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(f)
}
