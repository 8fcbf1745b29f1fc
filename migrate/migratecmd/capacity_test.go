package migratecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"github.com/upshift-dev/upshift/perfcheck/capacity"
)

// TestPerfCapacity runs a whole migration of a small HTTP service with
// -perf capacity (from .upshift.yaml): every stage after the baseline
// compares the service's capacity with the previous stage's, with short
// windows and one trial. The service is bound by a lock, so base and
// head have the same capacity and every stage passes.
func TestPerfCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service under load at every stage")
	}
	if runtime.GOOS != "linux" {
		t.Skip("perf capacity reads /proc: Linux only")
	}
	dir := gitRepo(t, "testdata/capacity.txtar")
	reportFile := filepath.Join(t.TempDir(), "migration.html")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26", "-json", "-report", reportFile)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	t.Logf("stderr:\n%s", stderr)
	var r report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("-json: %v\n%s", err, stdout)
	}
	for _, s := range r.Stages {
		if s.Capacity != 200 {
			t.Errorf("stage %d %s: capacity %.0f req/s, want 200 (the 3ms lock allows about 330)", s.N, s.Name, s.Capacity)
		}
		if s.N > 0 && (s.CapacityChange == nil || !strings.HasPrefix(s.Perf, "capacity PASS: ")) {
			t.Errorf("stage %d %s: perf %q, change %v: want a PASS against the previous stage", s.N, s.Name, s.Perf, s.CapacityChange)
		}
	}
	if !strings.Contains(stderr, "  perf capacity: base:") || !strings.Contains(stderr, "  perf capacity: head:") {
		t.Errorf("stderr lacks the indented steps:\n%s", stderr)
	}
	msg := git(t, dir, "log", "-1", "--format=%B", "upshift/go1.26")
	if !strings.Contains(msg, "Upshift-Perf: capacity PASS: ") || !strings.Contains(msg, " req/s, change ") {
		t.Errorf("the last stage's trailers lack the capacity:\n%s", msg)
	}
	_, status, _ := migrate(t, dir, "-status", "-json")
	var st report
	if err := json.Unmarshal([]byte(status), &st); err != nil {
		t.Fatalf("-status -json: %v\n%s", err, status)
	}
	if last := st.Stages[len(st.Stages)-1]; last.Capacity != r.Stages[len(r.Stages)-1].Capacity || last.CapacityChange == nil {
		t.Errorf("-status read back capacity %.0f (change %v), the run recorded %.0f", last.Capacity, last.CapacityChange, r.Stages[len(r.Stages)-1].Capacity)
	}
	html, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "capacity req/s") {
		t.Errorf("the chart does not draw the capacity:\n%s", html)
	}
}

// fakeReport is a perf capacity report with the given capacities and
// outcome against a -5% target, for the seam that stands in for
// capacity.Run.
func fakeReport(base, head float64, outcome capacity.Outcome) *capacity.Report {
	change := head/base - 1
	return &capacity.Report{
		Base: capacity.Side{Label: "base", Search: capacity.Search{Capacity: base}, Bound: capacity.Constraint{Bound: capacity.BoundCPU, Why: "base's CPU"}},
		Head: capacity.Side{Label: "head", Search: capacity.Search{Capacity: head}, Bound: capacity.Constraint{Bound: capacity.BoundMemory, Why: "head's GC took 30%"}},
		Verdict: capacity.Verdict{Outcome: outcome, Pass: outcome == capacity.OutcomePass, Change: change, Target: -0.05,
			Summary: fmt.Sprintf("capacity %.0f -> %.0f req/s", base, head), Reason: "the interval straddles the target", Advice: "raise -trials"},
	}
}

func capacityOptions() options {
	return options{target: "go1.26", tier: tier.Safe, perf: "capacity", branch: "upshift/go1.26", patterns: []string{"./..."}, cfg: &Config{},
		capacity: &capacity.Config{Pkg: ".", Trials: 1, Budget: capacity.Budget{CPUs: 1, Memory: 64 << 20}, Load: capacity.Load{Window: time.Second}}}
}

// TestCapacityFailResetsTheBranch: INCONCLUSIVE is a note, FAIL fails the
// stage and the branch ends at the last good stage, with the figures in
// the ledger.
func TestCapacityFailResetsTheBranch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the stages of a migration")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	var stdout, stderr bytes.Buffer
	var calls []string
	m := &migration{env: command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}, opts: capacityOptions(), user: repo{dir: dir}}
	m.capacityRun = func(ctx context.Context, cfg capacity.Config) (*capacity.Report, error) {
		calls = append(calls, cfg.Base+".."+cfg.Head)
		if cfg.Dir != m.dir || cfg.Pkg != "." {
			t.Errorf("capacity run in %s of %s, want the migration's worktree %s", cfg.Dir, cfg.Pkg, m.dir)
		}
		if len(calls) == 1 {
			return fakeReport(300, 290, capacity.OutcomeInconclusive), nil
		}
		return fakeReport(290, 200, capacity.OutcomeFail), nil
	}
	if code := m.run(context.Background()); code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if len(calls) != 2 || len(m.stages) != 3 {
		t.Fatalf("capacity runs %q over %d stages, want 2 runs (stages 1 and 2)\n%s", calls, len(m.stages), stderr.String())
	}
	base, bump, safe := m.stages[0], m.stages[1], m.stages[2]
	if base.Capacity != 300 || !bump.Verified || bump.Capacity != 290 || !slices.ContainsFunc(bump.Notes, func(n string) bool {
		return strings.Contains(n, "INCONCLUSIVE, not counted as a failure: the interval straddles the target; raise perf.trials")
	}) {
		t.Errorf("stage 1 should be verified with an INCONCLUSIVE note, the baseline's capacity filled in: %+v %+v", base, bump)
	}
	want := "capacity regression: 290 -> 200 req/s (-31.0%, target -5.0%), head bound by memory/GC"
	if safe.Verified || safe.Commit != "" || !slices.Contains(safe.NewFailures, want) || !slices.Contains(safe.Notes, "head: head's GC took 30%") {
		t.Errorf("stage 2 should fail naming the regression %q: %+v", want, safe)
	}
	if s := git(t, dir, "log", "-1", "--format=%B", "upshift/go1.26"); !strings.Contains(s, "stage 1, neutral bump") ||
		!strings.Contains(s, "Upshift-Perf: capacity INCONCLUSIVE: capacity 300 -> 290 req/s; capacity 290 req/s, change -3.33%") {
		t.Errorf("the branch should end at stage 1, its trailer with the capacity:\n%s", s)
	}
	if !strings.Contains(stderr.String(), "  new failure: "+want) || !strings.Contains(stderr.String(), "  perf capacity: ") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "capacity INCONCLUSIVE: capacity 300 -> 290 req/s (290 req/s)") {
		t.Errorf("the table should show stage 1's capacity:\n%s", stdout.String())
	}
}

// TestCapacityBisection: a fix stage's capacity FAIL is bisected like a
// failing test, and the fix behind it left out; the check compares HEAD
// with the work tree.
func TestCapacityBisection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fix engine and the tests")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	var stderr bytes.Buffer
	o := capacityOptions()
	o.tier = tier.Behavior
	m := &migration{env: command.Env{Stderr: &stderr}, dir: dir, wt: repo{dir: dir}, opts: o,
		baseFail: map[string]bool{}, left: map[string]string{}, findingCache: map[string]findingSet{}}
	head := git(t, dir, "rev-parse", "HEAD")
	m.capacityRun = func(ctx context.Context, cfg capacity.Config) (*capacity.Report, error) {
		if cfg.Base != head || cfg.Head != dir {
			t.Errorf("compared %s with %s, want HEAD %s with the work tree %s", cfg.Base, cfg.Head, head, dir)
		}
		src, err := os.ReadFile(filepath.Join(dir, "svc.go"))
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(src), "sort.Strings(keys)") {
			return fakeReport(1000, 600, capacity.OutcomeFail), nil
		}
		return fakeReport(1000, 990, capacity.OutcomeInconclusive), nil
	}
	s := &Stage{N: 3}
	if err := m.applyFixes(context.Background(), s, []*analysis.Analyzer{maporder.Analyzer}, tier.Behavior); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	want := "(breaks capacity regression: 1000 -> 600 req/s (-40.0%, target -5.0%), head bound by memory/GC)"
	if s.Applied != 0 || len(s.LeftOut) != 1 || !strings.HasPrefix(s.LeftOut[0], "maporder svc.go:12: ") || !strings.HasSuffix(s.LeftOut[0], want) {
		t.Errorf("applied %d, left out %q: want the WriteHeaders fix left out %s", s.Applied, s.LeftOut, want)
	}
	if !strings.Contains(stderr.String(), "  perf capacity: "+short(head)+"..work tree, 1 trial(s)") {
		t.Errorf("stderr should show the comparison with the work tree:\n%s", stderr.String())
	}
}

// capacityNeedsPackage is what -perf capacity without perf.package says;
// off Linux the platform is refused first.
func capacityNeedsPackage() string {
	if runtime.GOOS != "linux" {
		return "-perf capacity: perf capacity measures services through Linux's /proc"
	}
	return "-perf capacity needs the service's main package: set perf.package in .upshift.yaml"
}

// TestCapacityConfig: the settings that need the module (the package,
// the traffic file) are checked when -perf capacity is chosen, before
// any branch exists; errors name the file and key.
func TestCapacityConfig(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("perf capacity is Linux only")
	}
	dir := txtarmod.Extract(t, "testdata/capacity.txtar")
	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib", "lib.go"), []byte("package lib\n"), 0o644)
	for _, tc := range []struct {
		perf PerfConfig
		want string
	}{
		{PerfConfig{Package: "./lib"}, ".upshift.yaml: perf.package ./lib is package lib, not a main package"},
		{PerfConfig{Package: "./nosuch"}, ".upshift.yaml: perf.package ./nosuch: "},
		{PerfConfig{Package: ".", Traffic: "nosuch.jsonl"}, ".upshift.yaml: perf.traffic: open " + filepath.Join(dir, "nosuch.jsonl")},
		{PerfConfig{Package: ".", Backend: "pmu"}, ".upshift.yaml: perf.backend: backend pmu is not supported by perf capacity"},
		{PerfConfig{Package: ".", Trials: 3, CPUs: 1, Memory: "64MiB"}, ""},
	} {
		c := &Config{Perf: tc.perf}
		cfg, err := c.capacityConfig(context.Background(), dir)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.perf, err)
			} else if cfg.Pkg != "." || cfg.Trials != 3 || cfg.Budget.Memory != 64<<20 || cfg.Target != -0.05 || cfg.Work.Backend != "none" || cfg.Load.Paths[0] != "/" {
				t.Errorf("%+v: config %+v: want migrate's defaults (target -5%%, no work phase, path /) under the keys", tc.perf, cfg)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.perf, err, tc.want)
		}
	}
}

// TestCapacityCheckReused: a fix stage whose fixes passed their capacity
// check commits exactly the code the check measured, so the stage reuses
// that comparison instead of measuring the same two versions again.
func TestCapacityCheckReused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	var stdout, stderr bytes.Buffer
	o := capacityOptions()
	o.tier = tier.Behavior
	m := &migration{env: command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}, opts: o, user: repo{dir: dir}}
	checks, commits := 0, 0
	m.capacityRun = func(ctx context.Context, cfg capacity.Config) (*capacity.Report, error) {
		if cfg.Head == m.dir {
			checks++
		} else {
			commits++
		}
		return fakeReport(500, 510, capacity.OutcomePass), nil
	}
	if code := m.run(context.Background()); code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	reused := 0
	for _, s := range m.stages {
		if slices.ContainsFunc(s.Notes, func(n string) bool {
			return strings.Contains(n, "the stage's own check (of its fixes, or of the pins it drops) measured this same code")
		}) {
			reused++
			if (s.N != 3 && s.N != 4) || s.Capacity != 510 {
				t.Errorf("stage %d %s reused a check: %+v", s.N, s.Name, s)
			}
		}
	}
	// Stage 3 commits once per analyzer with fixes (maporder, godebug),
	// and unpin checks the pins it drops: each was checked once and not
	// measured again; stages 1, 2 and 5 compare their commits.
	if checks != 3 || reused != 3 || commits != 3 {
		t.Errorf("%d checks, %d reused, %d commit comparisons; want 3, 3, 3\n%s", checks, reused, commits, stderr.String())
	}
}

func TestInConfigTerms(t *testing.T) {
	for in, want := range map[string]string{
		"raise -trials or -duration to narrow the interval":                "raise perf.trials or perf.window to narrow the interval",
		"its capacity is unknown, raise -max-rate":                         "its capacity is unknown, raise perf.max_rate",
		"building /tmp/upshift-target-1/x: exit status 1 (-mem untouched)": "building /tmp/upshift-target-1/x: exit status 1 (perf.memory untouched)",
		"-requests stays perf capacity's":                                  "-requests stays perf capacity's",
	} {
		if got := inConfigTerms(in); got != want {
			t.Errorf("inConfigTerms(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCapacityKeepsPin: with -perf capacity, unpin keeps a pin whose
// removal costs capacity, bisected like one a test needs, with the
// regression as its reason.
func TestCapacityKeepsPin(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the stages of a migration")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	var stdout, stderr bytes.Buffer
	m := &migration{env: command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}, opts: capacityOptions(), user: repo{dir: dir}}
	m.capacityRun = func(ctx context.Context, cfg capacity.Config) (*capacity.Report, error) {
		if cfg.Head == m.dir {
			// A check of the work tree: the service is slower without the
			// asynctimerchan pin (as if its timers depended on it).
			mod, err := os.ReadFile(filepath.Join(m.dir, "go.mod"))
			if err != nil {
				return nil, err
			}
			if !strings.Contains(string(mod), "asynctimerchan=1") {
				return fakeReport(1000, 600, capacity.OutcomeFail), nil
			}
		}
		return fakeReport(1000, 1000, capacity.OutcomePass), nil
	}
	if code := m.run(context.Background()); code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	i := slices.IndexFunc(m.stages, func(s Stage) bool { return s.N == 4 })
	if i < 0 {
		t.Fatalf("no unpin stage:\n%s", stderr.String())
	}
	unpin := m.stages[i]
	want := "asynctimerchan: capacity regression: 1000 -> 600 req/s (-40.0%, target -5.0%), head bound by memory/GC without it"
	if !slices.Contains(unpin.KeptPins, want) {
		t.Errorf("kept pins %q, want %q among them\n%s", unpin.KeptPins, want, stderr.String())
	}
	if len(unpin.KeptPins) != 2 {
		t.Errorf("kept pins %q: want asynctimerchan and randseednop only", unpin.KeptPins)
	}
}
