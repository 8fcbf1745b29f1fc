package migratecmd

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/engine"
)

// fix identifies one applied fix within a stage: its finding's analyzer,
// module-relative file, line at the stage's start and message.
type fix struct {
	analyzer, file string
	line           int
	message        string
}

func (f fix) String() string {
	return fmt.Sprintf("%s %s:%d: %s", f.analyzer, f.file, f.line, f.message)
}

// leftKey identifies a left-out fix across stages, where lines shift:
// the text of a Upshift-Left-Out trailer up to " (breaks".
func leftKey(s string) string {
	s, _, _ = strings.Cut(s, " (breaks ")
	an, rest, _ := strings.Cut(s, " ")
	file, msg, _ := strings.Cut(rest, ": ")
	if i := strings.LastIndex(file, ":"); i >= 0 {
		file = file[:i]
	}
	return an + "\x00" + file + "\x00" + msg
}

func (f fix) leftKey() string { return f.analyzer + "\x00" + f.file + "\x00" + f.message }

// engine runs the fix engine over the worktree in memory. leave names
// fixes to leave out on top of those left out by earlier stages and the
// excluded paths.
func (m *migration) engine(ctx context.Context, as []*analysis.Analyzer, t tier.Tier, leave map[fix]bool) (*engine.Result, error) {
	tool, err := govet.Self()
	if err != nil {
		return nil, err
	}
	return engine.Run(ctx, engine.Options{
		Dir: m.dir, Patterns: m.opts.patterns, Tests: true, Analyzers: as, Tier: t,
		Tool: tool, Flags: govet.ChangedFlags(as),
		Leave: func(analyzer, file string, line int, message string) string {
			f := fix{analyzer, m.rel(file), line, message}
			if m.excluded(f.file) {
				return "excluded by " + ConfigFile
			}
			if r, ok := m.left[f.leftKey()]; ok {
				return "left out: " + r
			}
			if leave[f] {
				return "left out while bisecting"
			}
			return ""
		},
	})
}

// applied returns the fixes a run applied.
func (m *migration) applied(res *engine.Result) []fix {
	var out []fix
	for _, o := range res.Outcomes {
		if o.Fate == engine.Applied {
			out = append(out, fix{o.Analyzer, m.rel(o.File), o.Line, o.Message})
		}
	}
	return out
}

// write writes the changed files of res whose module-relative path
// passes keep (nil keeps all).
func (m *migration) write(res *engine.Result, keep func(rel string) bool) error {
	batch := map[string][]byte{}
	for path, data := range res.Changed {
		if keep == nil || keep(m.rel(path)) {
			batch[path] = data
		}
	}
	return atomicfile.WriteAll(batch)
}

// A check says what fails with the worktree as it is: the tests that
// passed at the baseline and fail now, or the benchmarks whose
// instructions/op regressed against the stage's start. Empty means good.
type check struct {
	what string // "test", "benchmark" or "capacity", for the report
	run  func(ctx context.Context) ([]string, error)
}

// testCheck runs the tests.
func (m *migration) testCheck() check {
	return check{"test", func(ctx context.Context) ([]string, error) {
		t, err := runTests(ctx, m.dir, m.opts.patterns, m.opts.short)
		if err != nil {
			return nil, err
		}
		return t.NewFailures(m.baseFail), nil
	}}
}

// confirm runs check c again and keeps what failed both times: go test
// caches no failure, so the second run runs the tests again. A test that
// fails once and then passes is named as flaky in the stage's notes.
func (m *migration) confirm(ctx context.Context, s *Stage, failed []string, c check) ([]string, error) {
	again, err := c.run(ctx)
	if err != nil {
		return nil, err
	}
	var both, flaky []string
	for _, f := range failed {
		if slices.Contains(again, f) {
			both = append(both, f)
		} else {
			flaky = append(flaky, f)
		}
	}
	if len(flaky) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Flaky: %s failed once and passed when run again; not blamed on the stage.", strings.Join(flaky, ", ")))
	}
	if len(both) == 0 {
		return nil, nil
	}
	// A test that fails twice may still fail without the stage: run it
	// at the stage's start too (go-kit's TestGauge passed at the baseline
	// and fails 7 runs in 10 there).
	before, err := m.failsBefore(ctx, both)
	if err != nil {
		return nil, err
	}
	var blamed, already []string
	for _, f := range both {
		if before[f] {
			already = append(already, f)
		} else {
			blamed = append(blamed, f)
		}
	}
	if len(already) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Flaky: %s failed twice, and also fails at the stage's start when run again there; not blamed on the stage, and counted as failing at the baseline from here on.", strings.Join(already, ", ")))
		if m.baseFail == nil {
			m.baseFail = map[string]bool{}
		}
		for _, f := range already {
			m.baseFail[f] = true
		}
	}
	return blamed, nil
}

// beforeRuns is how many times failsBefore runs a test at the stage's
// start: a test that fails there once is not the stage's doing.
const beforeRuns = 3

// failsBefore runs the named tests ("pkg TestName", subtests included,
// "pkg [package]" entries passed over) at the stage's start, the
// worktree's HEAD, in a throwaway worktree, beforeRuns times, and
// reports those that fail there at least once.
func (m *migration) failsBefore(ctx context.Context, tests []string) (map[string]bool, error) {
	byPkg := map[string][]string{}
	for _, t := range tests {
		pkg, name, ok := strings.Cut(t, " ")
		if !ok || strings.HasPrefix(name, "[") {
			continue
		}
		top, _, _ := strings.Cut(name, "/")
		if !slices.Contains(byPkg[pkg], top) {
			byPkg[pkg] = append(byPkg[pkg], top)
		}
	}
	failed := map[string]bool{}
	if len(byPkg) == 0 {
		return failed, nil
	}
	tmp, err := os.MkdirTemp("", "upshift-before-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	wt := filepath.Join(tmp, "wt")
	if _, err := m.wt.git(ctx, "worktree", "add", "-q", "--detach", wt, "HEAD"); err != nil {
		return nil, err
	}
	defer m.wt.git(context.WithoutCancel(ctx), "worktree", "remove", "--force", wt)
	dir := filepath.Join(wt, filepath.FromSlash(m.prefix))
	fmt.Fprintf(m.env.Stderr, "  %d test(s) failed twice: running them %d times at the stage's start\n", len(tests), beforeRuns)
	for _, pkg := range slices.Sorted(maps.Keys(byPkg)) {
		run := "^(" + strings.Join(byPkg[pkg], "|") + ")$"
		for range beforeRuns {
			t, err := runTestsArgs(ctx, dir, []string{"-count=1", "-run", run}, []string{pkg}, m.opts.short)
			if err != nil {
				return nil, err
			}
			for _, f := range t.Failing() {
				failed[f] = true
			}
		}
	}
	return failed, nil
}

// checks are what a fix stage must pass: the tests and, with -perf
// bench, the benchmarks, with -perf capacity the service's capacity (one
// bad fix must not sink a stage of ninety good ones, whether it breaks a
// test, slows a hot path or costs capacity).
func (m *migration) checks() []check {
	cs := []check{m.testCheck()}
	switch m.opts.perf {
	case "bench":
		cs = append(cs, m.perfCheck())
	case "capacity":
		cs = append(cs, m.capacityCheck())
	}
	if m.extraCheck != nil {
		cs = append(cs, *m.extraCheck)
	}
	return cs
}

// applyFixes writes the fixes of analyzers up to tier t into the
// worktree. When a check fails with them (a test that passed at the
// baseline, a benchmark), it bisects the fixes, first by file, then by
// fix within the files to blame, and leaves the culprits out, recording
// them in s with what they break.
func (m *migration) applyFixes(ctx context.Context, s *Stage, as []*analysis.Analyzer, t tier.Tier) error {
	res, err := m.engine(ctx, as, t, nil)
	if err != nil {
		return err
	}
	all := m.applied(res)
	if len(all) == 0 {
		s.Notes = append(s.Notes, "No fix to apply.")
		return nil
	}
	if err := m.write(res, nil); err != nil {
		return err
	}
	leave := map[fix]bool{}
	for _, c := range m.checks() {
		first, err := c.run(ctx)
		if err != nil {
			return err
		}
		if c.what == "test" && len(first) > 0 {
			// A flaky test must not set off a bisection.
			if first, err = m.confirm(ctx, s, first, c); err != nil {
				return err
			}
		}
		if len(first) == 0 {
			continue
		}
		fmt.Fprintf(m.env.Stderr, "  %d fix(es) break %s: bisecting by file, then by fix\n", len(all)-len(leave), strings.Join(first, ", "))
		bad, failing, err := m.bisect(ctx, as, t, res, all, leave, c)
		if err != nil {
			return err
		}
		for _, f := range bad {
			leave[f] = true
			entry := fmt.Sprintf("%s (breaks %s)", f, strings.Join(orSlice(failing[f], first), ", "))
			s.LeftOut = append(s.LeftOut, entry)
			m.left[f.leftKey()] = entry
		}
		if err := m.wt.reset(ctx); err != nil {
			return err
		}
		if res, err = m.engine(ctx, as, t, leave); err != nil {
			return err
		}
		if err := m.write(res, nil); err != nil {
			return err
		}
	}
	kept := m.applied(res)
	s.Applied = len(kept)
	note := fmt.Sprintf("Applied %d fix(es): %s.", len(kept), byAnalyzer(kept))
	if len(leave) > 0 {
		note = fmt.Sprintf("Applied %d fix(es): %s; left out %d that break a check.", len(kept), byAnalyzer(kept), len(leave))
	}
	s.Notes = append(s.Notes, note)
	return nil
}

// bisect finds the fixes of res (all, minus those in leave) that make
// check c fail: by file first, then by fix within the files to blame.
// It returns them with what each one alone was seen to break.
func (m *migration) bisect(ctx context.Context, as []*analysis.Analyzer, t tier.Tier, res *engine.Result, all []fix, leave map[fix]bool, c check) ([]fix, map[fix][]string, error) {
	// try resets the worktree to the stage's start, applies a subset and
	// runs the check.
	try := func(ctx context.Context, apply func() error) ([]string, error) {
		if err := m.wt.reset(ctx); err != nil {
			return nil, err
		}
		if err := apply(); err != nil {
			return nil, err
		}
		return c.run(ctx)
	}
	var files []string
	for _, f := range all {
		if !leave[f] && !slices.Contains(files, f.file) {
			files = append(files, f.file)
		}
	}
	badFiles, err := culprits(ctx, files, func(ctx context.Context, subset []string) (bool, error) {
		fmt.Fprintf(m.env.Stderr, "  trying the fixes of %d file(s): %s\n", len(subset), strings.Join(subset, " "))
		nf, err := try(ctx, func() error { return m.write(res, func(rel string) bool { return slices.Contains(subset, rel) }) })
		return len(nf) > 0, err
	})
	if err != nil {
		return nil, nil, err
	}
	failing := map[fix][]string{}
	var bad []fix
	for _, bf := range badFiles {
		var inFile []fix
		for _, f := range all {
			if f.file == bf && !leave[f] {
				inFile = append(inFile, f)
			}
		}
		found, err := culprits(ctx, inFile, func(ctx context.Context, subset []fix) (bool, error) {
			fmt.Fprintf(m.env.Stderr, "  trying %d fix(es) of %s\n", len(subset), bf)
			out := map[fix]bool{}
			for f := range leave {
				out[f] = true
			}
			for _, f := range all {
				if slices.Contains(badFiles, f.file) && !slices.Contains(subset, f) {
					out[f] = true
				}
			}
			nf, err := try(ctx, func() error {
				r, err := m.engine(ctx, as, t, out)
				if err != nil {
					return err
				}
				return m.write(r, nil)
			})
			if len(subset) == 1 && len(nf) > 0 {
				failing[subset[0]] = nf
			}
			return len(nf) > 0, err
		})
		if err != nil {
			return nil, nil, err
		}
		bad = append(bad, found...)
	}
	return bad, failing, nil
}

func byAnalyzer(fs []fix) string {
	n := map[string]int{}
	var names []string
	for _, f := range fs {
		if n[f.analyzer] == 0 {
			names = append(names, f.analyzer)
		}
		n[f.analyzer]++
	}
	var parts []string
	for _, a := range names {
		parts = append(parts, fmt.Sprintf("%s %d", a, n[a]))
	}
	return strings.Join(parts, ", ")
}

// finding is one analyzer finding at the target go line.
type finding struct {
	// category is the diagnostic's; the godebug analyzer's is the
	// GODEBUG setting.
	analyzer, category, file string
	line                     int
	message                  string
}

// findingSet is what the analyzers find in the worktree at the target.
type findingSet struct {
	outcomes []finding
}

// findings runs every analyzer at the target go line over the worktree,
// as upshift vet does: one load, no fixes computed. The result is cached
// by the content of the module's files, since a stage that changes
// nothing (or only what a finding cannot see) need not load again.
func (m *migration) findings(ctx context.Context) (findingSet, error) {
	key, err := m.contentKey()
	if err != nil {
		return findingSet{}, err
	}
	if fs, ok := m.findingCache[key]; ok {
		return fs, nil
	}
	// The analyzers run through go vet with this binary as the tool, as
	// upshift vet does: one process per package, results cached, so a
	// stage that changed little costs little.
	tool, err := govet.Self()
	if err != nil {
		return findingSet{}, err
	}
	analyzers := registry.Analyzers()
	names := make([]string, len(analyzers))
	for i, a := range analyzers {
		names[i] = a.Name
	}
	res, err := govet.Run{Dir: m.dir, Tool: tool, Analyzers: names, Flags: govet.ChangedFlags(analyzers),
		Env: goEnvExtra}.Do(ctx, m.opts.patterns)
	if err != nil {
		return findingSet{}, fmt.Errorf("running the analyzers on %s: %w", strings.Join(m.opts.patterns, " "), err)
	}
	if len(res.Errors) > 0 {
		var errs []string
		for _, e := range res.Errors {
			errs = append(errs, e.Text)
		}
		return findingSet{}, fmt.Errorf("the code does not type-check:\n%s", strings.Join(errs, "\n"))
	}
	if len(res.Failures) > 0 {
		f := res.Failures[0]
		return findingSet{}, fmt.Errorf("%s: %v (in %s)", f.Analyzer, f.Err, f.Package)
	}
	var fs findingSet
	seen := map[finding]bool{}
	for _, d := range res.Findings {
		if d.Category == "suppression" {
			continue
		}
		f := finding{d.Analyzer, d.Category, m.rel(d.Pos.Filename), d.Pos.Line, d.Message}
		if seen[f] || m.excluded(f.file) {
			continue // test variants of a package repeat findings
		}
		seen[f] = true
		fs.outcomes = append(fs.outcomes, f)
	}
	m.findingCache[key] = fs
	return fs, nil
}

// contentKey hashes the module's Go files and go.mod.
func (m *migration) contentKey() (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(m.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != m.dir && (d.Name() == ".git" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", path, len(data))
			h.Write(data)
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil)), err
}

// count returns the number of findings and a summary by analyzer.
func (f findingSet) count() (int, string) {
	n := map[string]int{}
	for _, o := range f.outcomes {
		n[o.analyzer]++
	}
	var parts []string
	for _, a := range registry.Analyzers() {
		if n[a.Name] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", a.Name, n[a.Name]))
		}
	}
	return len(f.outcomes), strings.Join(parts, ", ")
}

// reach returns, by GODEBUG setting, the positions of the godebug
// findings about it ("file:line"), as upshift plan reports them.
func (f findingSet) reach() map[string][]string {
	out := map[string][]string{}
	for _, o := range f.outcomes {
		if o.analyzer != godebug.Analyzer.Name {
			continue
		}
		name := o.category
		msg := o.message
		if len(msg) > 120 {
			msg = msg[:117] + "..."
		}
		out[name] = append(out[name], fmt.Sprintf("%s:%d: %s", o.file, o.line, msg))
	}
	return out
}

func orSlice(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}
