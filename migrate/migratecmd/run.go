package migratecmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/godebugs"
	"github.com/upshift-dev/upshift/perfcheck/capacity"
)

// migration is one run of upshift migrate.
type migration struct {
	env    command.Env
	opts   options
	user   repo   // the user's repository (never changed but for the branch)
	prefix string // the module's directory in the repository, "" or "sub/"
	wt     repo   // the temporary worktree on the branch
	dir    string // the module root in the worktree
	from   string // the go line at the baseline
	// baseFail holds the tests failing at the baseline.
	baseFail map[string]bool
	// baseGoMod is go.mod at the baseline: pins are the godebug lines
	// the migration added to it.
	baseGoMod string
	// left holds the fixes left out so far, by fixKey without the line.
	left map[string]string
	// stages are the stages of the ledger and of this run.
	stages []Stage
	// extraCheck, when set, is one more check fix stages must pass
	// (tests use it to stand in for a slow one).
	extraCheck *check
	// findingCache holds findings by contentKey.
	findingCache map[string]findingSet
	// loopFiles are the files the bump kept at go1.21.
	loopFiles []string
	// skipSafe is set when -continue resumes within the dependency
	// moves: stage 2's safe fixes are done, moves may be left.
	skipSafe bool
	// capacityRun, when set, stands in for capacity.Run (tests give a
	// report of their choosing).
	capacityRun func(context.Context, capacity.Config) (*capacity.Report, error)
	// lastCheck is the fixes' last capacity check, reused by the stage's
	// own comparison when it measured the same code.
	lastCheck *capacityCheckResult
}

// run runs the stages and returns the exit code.
func (m *migration) run(ctx context.Context) int {
	tmp, err := os.MkdirTemp("", "upshift-migrate-")
	if err != nil {
		return m.env.Errorf("migrate", "%v", err)
	}
	defer os.RemoveAll(tmp)
	wt := filepath.Join(tmp, "wt")
	if m.opts.cont {
		_, err = m.user.git(ctx, "worktree", "add", "-q", wt, m.opts.branch)
	} else {
		_, err = m.user.git(ctx, "worktree", "add", "-q", "-b", m.opts.branch, wt, "HEAD")
	}
	if err != nil {
		return m.env.Errorf("migrate", "creating the worktree: %v", err)
	}
	defer func() {
		// The branch stays; the worktree goes. A new branch without a
		// single stage (the baseline did not build, or the run was
		// interrupted) goes too: nothing half-made is left.
		bg := context.WithoutCancel(ctx)
		m.user.git(bg, "worktree", "remove", "--force", wt)
		m.user.git(bg, "worktree", "prune")
		if !m.opts.cont && !slices.ContainsFunc(m.stages, func(s Stage) bool { return s.Commit != "" }) {
			m.user.git(bg, "branch", "-D", m.opts.branch)
		}
	}()
	m.wt = repo{dir: wt}
	m.dir = filepath.Join(wt, filepath.FromSlash(m.prefix))
	m.left = map[string]string{}
	m.findingCache = map[string]findingSet{}

	next := 0
	if m.opts.cont {
		if next, err = m.resume(ctx); err != nil {
			return m.env.Errorf("migrate", "%v", err)
		}
	}
	type step struct {
		n   int
		run func(context.Context) (bool, error)
	}
	steps := []step{{0, m.baseline}, {1, m.bump}, {2, m.safeFixes}, {2, m.depMoves}, {3, m.behaviorFixes}, {4, m.unpin}, {5, m.cleanups}}
	for i, st := range steps {
		if st.n < next || i == 2 && m.skipSafe {
			continue
		}
		ok, err := st.run(ctx)
		if err != nil {
			return m.env.Errorf("migrate", "stage %d: %v", st.n, err)
		}
		if !ok {
			fmt.Fprintf(m.env.Stderr, "upshift migrate: stage %d failed verification; branch %s ends at the last good stage. Fix it there by hand (git switch %s), commit, then run upshift migrate -continue\n", st.n, m.opts.branch, m.opts.branch)
			m.printSummary()
			return command.ExitFindings
		}
	}
	m.printSummary()
	fmt.Fprintf(m.env.Stderr, "upshift migrate: every stage verified; review and merge branch %s\n", m.opts.branch)
	return command.ExitOK
}

// resume reads the ledger of the branch and returns the stage to run
// next: the one after the last recorded stage, run again from the
// branch's tip (which has the user's hand fixes).
func (m *migration) resume(ctx context.Context) (int, error) {
	stages, after, err := readLedger(ctx, m.user, m.opts.branch)
	if err != nil {
		return 0, err
	}
	base := stages[0]
	if base.Target != "" && base.Target != m.opts.target {
		return 0, fmt.Errorf("-continue: branch %s migrates to %s, not %s", m.opts.branch, base.Target, m.opts.target)
	}
	m.stages = stages
	m.baseFail = map[string]bool{}
	for _, t := range base.BaselineFailing {
		m.baseFail[t] = true
	}
	if m.baseGoMod, err = m.user.git(ctx, "show", base.Commit+":"+m.prefix+"go.mod"); err == nil {
		m.baseGoMod += "\n"
		if f, perr := modfile.ParseLax("go.mod", []byte(m.baseGoMod), nil); perr == nil && f.Go != nil {
			m.from = goLine(f.Go.Version)
		}
	}
	if err != nil || m.from == "" {
		return 0, fmt.Errorf("-continue: cannot read go.mod of the baseline commit %s", base.Commit)
	}
	for _, s := range stages {
		for _, l := range s.LeftOut {
			m.left[leftKey(l)] = l
		}
	}
	last := stages[len(stages)-1]
	fmt.Fprintf(m.env.Stderr, "upshift migrate: resuming %s after stage %d (%s); %d commit(s) of yours since\n", m.opts.branch, last.N, last.Name, after)
	if as, _ := stage3Analyzers(m.opts.tier); last.N == 3 && len(as) > 1 {
		// Stage 3 commits once per analyzer: the ones after the last
		// commit may be left. Analyzers done have nothing left to fix.
		return 3, nil
	}
	if last.N == 2 && m.opts.moves {
		// The moves follow the safe fixes under number 2; the moves
		// done are no longer required and are passed over.
		m.skipSafe = true
		return 2, nil
	}
	return last.N + 1, nil
}

// begin starts a stage's progress line.
func (m *migration) begin(n int, name string) (*Stage, time.Time) {
	fmt.Fprintf(m.env.Stderr, "upshift migrate: stage %d %s ...\n", n, name)
	return &Stage{N: n, Name: name, Pins: []string{}}, time.Now()
}

// finish verifies a stage, commits it when verified, and reports it.
func (m *migration) finish(ctx context.Context, s *Stage, start time.Time) (bool, error) {
	if err := m.verify(ctx, s); err != nil {
		return false, err
	}
	if s.check != nil {
		s.check()
	}
	if s.Verified {
		s.Duration = time.Since(start)
		c, err := m.wt.git(ctx, "rev-parse", "HEAD")
		if err != nil {
			return false, err
		}
		if s.Commit, err = m.wt.commit(ctx, s.message(m.from, m.opts.target)); err != nil {
			return false, err
		}
		if m.opts.perf != "off" && s.N > 0 {
			if err := m.stagePerf(ctx, s, c); err != nil {
				// No stage commit without its perf result.
				m.wt.git(context.WithoutCancel(ctx), "reset", "-q", "--hard", "HEAD~1")
				s.Commit = ""
				return false, err
			}
			if !s.Verified {
				// The branch ends at the last good stage.
				if _, err := m.wt.git(ctx, "reset", "-q", "--hard", "HEAD~1"); err != nil {
					return false, err
				}
				s.Commit = ""
			} else {
				// The perf result goes into the stage's own trailers,
				// with the time it took.
				s.Duration = time.Since(start)
				args := append(m.wt.identity(ctx), "commit", "-q", "--amend", "--allow-empty", "--no-verify", "-m", s.message(m.from, m.opts.target))
				if _, err := m.wt.git(ctx, args...); err != nil {
					return false, err
				}
				if s.Commit, err = m.wt.git(ctx, "rev-parse", "HEAD"); err != nil {
					return false, err
				}
			}
		}
	}
	s.Duration = time.Since(start)
	m.stages = append(m.stages, *s)
	state := "verified"
	if !s.Verified {
		state = "FAILED"
	}
	fmt.Fprintf(m.env.Stderr, "upshift migrate: stage %d %s: %s in %s: tests %s; findings %d; pins %d; perf %s\n",
		s.N, s.Name, state, s.Duration.Round(100*time.Millisecond), s.TestsSummary(), s.Findings, len(s.Pins), s.Perf)
	for _, t := range s.NewFailures {
		fmt.Fprintf(m.env.Stderr, "  new failure: %s\n", t)
	}
	for _, l := range s.LeftOut {
		fmt.Fprintf(m.env.Stderr, "  left out: %s\n", l)
	}
	for _, k := range s.KeptPins {
		fmt.Fprintf(m.env.Stderr, "  pin kept: %s\n", k)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(m.env.Stderr, "  note: %s\n", n)
	}
	return s.Verified, nil
}

// stagePerf runs the perf check of -perf against the previous stage's
// commit, base.
func (m *migration) stagePerf(ctx context.Context, s *Stage, base string) error {
	if m.opts.perf == "capacity" {
		return m.capacity(ctx, s, base)
	}
	return m.perf(ctx, s, base)
}

// verify runs the tests and the analyzers after a stage and fills in s.
func (m *migration) verify(ctx context.Context, s *Stage) error {
	t, err := runTests(ctx, m.dir, m.opts.patterns, m.opts.short)
	if err != nil {
		return err
	}
	s.Pass, s.Fail, s.Skip = t.Count(pass), t.Count(fail), t.Count(skip)
	if s.N == 0 {
		s.BaselineFailing = t.Failing()
		m.baseFail = map[string]bool{}
		for _, f := range s.BaselineFailing {
			m.baseFail[f] = true
		}
	}
	s.NewFailures = t.NewFailures(m.baseFail)
	if len(s.NewFailures) > 0 && s.N > 0 {
		if s.NewFailures, err = m.confirm(ctx, s, s.NewFailures, m.testCheck()); err != nil {
			return err
		}
	}
	// Packages without tests are verified by the build alone.
	if err := goBuild(ctx, m.dir, m.opts.patterns); err != nil {
		s.NewFailures = append(s.NewFailures, "build")
		s.Notes = append(s.Notes, err.Error())
	}
	if len(t.Outcome) == 0 {
		s.Notes = append(s.Notes, "No test ran: the stage is verified by the build alone.")
	}
	for _, f := range s.NewFailures {
		if out := t.Output[f]; out != "" {
			s.Notes = append(s.Notes, fmt.Sprintf("%s fails:\n%s", f, indent(out)))
		}
	}
	s.Verified = len(s.NewFailures) == 0
	fs, err := m.findings(ctx)
	if err != nil {
		return err
	}
	s.Findings, s.FindingsBy = fs.count()
	s.Pins, err = m.pins()
	if err != nil {
		return err
	}
	if s.Perf == "" {
		s.Perf = m.opts.perf
	}
	return nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// pins returns the godebug keys of the worktree's go.mod that the
// baseline's go.mod did not have, in go.mod order.
func (m *migration) pins() ([]string, error) {
	now, err := m.readGoMod()
	if err != nil {
		return nil, err
	}
	base, err := modfile.ParseLax("go.mod", []byte(m.baseGoMod), nil)
	if err != nil {
		return nil, err
	}
	had := map[string]bool{}
	for _, g := range base.Godebug {
		had[g.Key] = true
	}
	out := []string{}
	for _, g := range now.Godebug {
		if !had[g.Key] {
			out = append(out, g.Key)
		}
	}
	return out, nil
}

func (m *migration) readGoMod() (*modfile.File, error) {
	path := filepath.Join(m.dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(path, data, nil)
}

// printSummary prints the ledger as a table (or JSON) on stdout.
func (m *migration) printSummary() {
	if m.opts.json {
		if err := writeJSON(m.env.Stdout, m.reportData()); err != nil {
			fmt.Fprintf(m.env.Stderr, "upshift migrate: %v\n", err)
		}
		return
	}
	writeTable(m.env.Stdout, m.opts.branch, m.stages)
}

// baseline is stage 0: the module builds, and the tests' outcomes at the
// current go line are recorded on an empty commit.
func (m *migration) baseline(ctx context.Context) (bool, error) {
	s, start := m.begin(0, "baseline")
	f, err := m.readGoMod()
	if err != nil {
		return false, err
	}
	if f.Go == nil {
		return false, fmt.Errorf("go.mod has no go line")
	}
	m.from = goLine(f.Go.Version)
	if data, err := os.ReadFile(filepath.Join(m.dir, "go.mod")); err == nil {
		m.baseGoMod = string(data)
	}
	if c := compareLines(m.from, m.opts.target); c >= 0 {
		return false, fmt.Errorf("the go line is already %s, not older than -to %s: nothing to migrate", strings.TrimPrefix(m.from, "go"), strings.TrimPrefix(m.opts.target, "go"))
	}
	if err := goBuild(ctx, m.dir, m.opts.patterns); err != nil {
		return false, fmt.Errorf("the baseline does not build, so no stage could be verified:\n%v", err)
	}
	s.Target = m.opts.target
	s.Notes = append(s.Notes, fmt.Sprintf("Baseline at %s; %d GODEBUG default(s) flip on the way to %s.", m.from, len(godebugs.Flipped(m.from, m.opts.target)), m.opts.target))
	ok, err := m.finish(ctx, s, start)
	if err != nil {
		return false, err
	}
	if n := len(m.stages[len(m.stages)-1].BaselineFailing); n > 0 {
		fmt.Fprintf(m.env.Stderr, "  %d test(s) already fail at the baseline; no later stage is blamed for them\n", n)
	}
	return ok, nil
}

// bySetting sorts setting names as the table lists them.
func bySetting(names []string) []string {
	order := map[string]int{}
	for i, s := range godebugs.Flipped("go1.20", godebugs.ToolchainLang()) {
		order[s.Name] = i
	}
	slices.SortStableFunc(names, func(a, b string) int { return order[a] - order[b] })
	return names
}
