package migratecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"golang.org/x/tools/go/analysis"
)

// gitEnv gives the test repositories an identity and keeps the user's
// git configuration (hooks, signing) out of them.

// TestMain makes the test binary the vet tool that migrate runs its
// analyzers through, as the upshift binary is.
func TestMain(m *testing.M) {
	vetcmd.ServeTool(vetcmd.Suite{Checks: registry.Checks()})
	os.Exit(m.Run())
}

func gitEnv(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
	} {
		t.Setenv(k, v)
	}
}

// gitRepo extracts a txtar module into a fresh git repository with one
// commit on branch main.
func gitRepo(t *testing.T, archive string) string {
	t.Helper()
	gitEnv(t)
	dir := txtarmod.Extract(t, archive)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "init")
	return dir
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func migrate(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
	code := Main(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

// userUntouched checks that the user's checkout is where it was.
func userUntouched(t *testing.T, dir, head string) {
	t.Helper()
	if b := git(t, dir, "branch", "--show-current"); b != "main" {
		t.Errorf("current branch is %s, want main", b)
	}
	if h := git(t, dir, "rev-parse", "HEAD"); h != head {
		t.Errorf("HEAD moved: %s, want %s", h, head)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("work tree changed:\n%s", s)
	}
	if wts := git(t, dir, "worktree", "list"); strings.Count(wts, "\n") != 0 {
		t.Errorf("a worktree was left behind:\n%s", wts)
	}
}

func TestServiceSafe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	head := git(t, dir, "rev-parse", "HEAD")
	reportFile := filepath.Join(t.TempDir(), "migration.md")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26", "-report", reportFile)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	userUntouched(t, dir, head)

	goMod := git(t, dir, "show", "upshift/go1.26:go.mod")
	if !strings.Contains(goMod, "\ngo 1.26") {
		t.Errorf("go.mod on the branch is not at go 1.26:\n%s", goMod)
	}
	if !strings.Contains(goMod, "godebug randseednop=0") || strings.Count(goMod, "=") != 1 {
		t.Errorf("go.mod should keep exactly the randseednop pin:\n%s", goMod)
	}
	// maporder's fixes are behavior tier only because a test can pin
	// the order it happened to see: stage 3 applies them at the safe
	// tier too, verified by the tests. rand.Seed stays (behavior tier).
	svc := git(t, dir, "show", "upshift/go1.26:svc.go")
	if !strings.Contains(svc, "slices.Sorted(maps.Keys(h))") || !strings.Contains(svc, "rand.Seed(seed)") {
		t.Errorf("the map-order hazard should be fixed and rand.Seed left alone (safe tier):\n%s", svc)
	}
	// One commit per stage.
	subjects := git(t, dir, "log", "--format=%s", "main..upshift/go1.26")
	for _, want := range []string{"stage 0, baseline", "stage 1, neutral bump", "stage 2, safe fixes", "stage 3, test-verified fixes: maporder", "stage 4, unpin", "stage 5, cleanups"} {
		if !strings.Contains(subjects, want) {
			t.Errorf("no commit for %q:\n%s", want, subjects)
		}
	}
	if strings.Contains(subjects, "behavior fixes") {
		t.Errorf("a behavior stage ran at the safe tier:\n%s", subjects)
	}
	unpin := git(t, dir, "log", "-1", "--format=%B", "upshift/go1.26~1")
	if !strings.Contains(unpin, "Upshift-Kept-Pin: randseednop: finding svc.go:") || !strings.Contains(unpin, "Upshift-Pins: 1 (randseednop)") {
		t.Errorf("the unpin commit should say why randseednop stays:\n%s", unpin)
	}
	if !strings.Contains(unpin, "containermaxprocs acts process-wide") {
		t.Errorf("the unpin commit should name the process-wide settings:\n%s", unpin)
	}

	// -status reads the ledger back.
	code, status, stderr := migrate(t, dir, "-status")
	if code != 0 {
		t.Fatalf("-status: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"0 baseline", "2 safe fixes", "5 cleanups", "pin kept (stage 4): randseednop: finding svc.go:", "every stage done"} {
		if !strings.Contains(status, want) {
			t.Errorf("-status lacks %q:\n%s", want, status)
		}
	}
	code, js, stderr := migrate(t, dir, "-status", "-json")
	var ledger report
	if err := json.Unmarshal([]byte(js), &ledger); code != 0 || err != nil {
		t.Fatalf("-status -json: exit %d, %v\n%s%s", code, err, js, stderr)
	}
	if n := len(ledger.Stages); n != 6 || ledger.Stages[4].N != 4 || len(ledger.Stages[4].KeptPins) != 1 || ledger.Stages[0].Pass != 2 || ledger.To != "go1.26" || ledger.Stages[2].Applied != 0 || ledger.Stages[3].Applied != 1 {
		t.Errorf("-status -json: %+v", ledger)
	}
	md, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 1 neutral bump |", "| 2 safe fixes |", "| 3 test-verified fixes: maporder |", "pin kept: randseednop"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}

	// A second run on the same branch name is refused.
	if code, _, stderr := migrate(t, dir, "-to", "1.26"); code != 2 || !strings.Contains(stderr, "branch upshift/go1.26 exists") {
		t.Errorf("second run: exit %d, %s", code, stderr)
	}
}

func TestServiceBehavior(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	head := git(t, dir, "rev-parse", "HEAD")
	report := filepath.Join(t.TempDir(), "migration.html")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26", "-tier", "behavior", "-branch", "up", "-report", report)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	userUntouched(t, dir, head)
	goMod := git(t, dir, "show", "up:go.mod")
	if strings.Contains(goMod, "godebug") || !strings.Contains(goMod, "\ngo 1.26") {
		t.Errorf("go.mod should be at go 1.26 with no pin left:\n%s", goMod)
	}
	if svc := git(t, dir, "show", "up:svc.go"); strings.Contains(svc, "rand.Seed(") || !strings.Contains(svc, "rand.New(rand.NewSource(seed))") {
		t.Errorf("rand.Seed should be replaced by a local generator:\n%s", svc)
	}
	if svc := git(t, dir, "show", "up:svc.go"); !strings.Contains(svc, "slices.Sorted(maps.Keys(h))") {
		t.Errorf("the map-order hazard should be fixed (behavior tier):\n%s", svc)
	}
	subjects := git(t, dir, "log", "--format=%s", "main..up")
	for _, want := range []string{"stage 3, behavior fixes: godebug", "stage 3, behavior fixes: maporder"} {
		if !strings.Contains(subjects, want) {
			t.Errorf("no commit %q:\n%s", want, subjects)
		}
	}
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "3 behavior fixes: godebug") {
		t.Errorf("HTML report lacks the chart or the behavior stage:\n%s", html)
	}
}

func TestBisectLeavesOutTheBreakingFix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/bisect.txtar")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26", "-tier", "behavior")
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	want := "left out (stage 3): maporder tags.go:11: "
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "(breaks example.com/tags TestLineAllocs)") {
		t.Errorf("the Line fix should be left out, blamed on TestLineAllocs:\n%s", stdout)
	}
	if strings.Count(stdout, "left out") != 1 {
		t.Errorf("only one fix should be left out:\n%s", stdout)
	}
	tags := git(t, dir, "show", "upshift/go1.26:tags.go")
	if !strings.Contains(tags, "for k, v := range m {\n\t\tio.WriteString(w, k)") {
		t.Errorf("Line should keep its map range:\n%s", tags)
	}
	if !strings.Contains(tags, "slices.Sort(parts)") {
		t.Errorf("Join should be fixed:\n%s", tags)
	}
	if f := git(t, dir, "show", "upshift/go1.26:fields.go"); !strings.Contains(f, "slices.Sorted(maps.Keys(m))") {
		t.Errorf("Fields should be fixed:\n%s", f)
	}
	msg := git(t, dir, "log", "-1", "--format=%B", "upshift/go1.26~2")
	if !strings.Contains(msg, "Upshift-Left-Out: maporder tags.go:11:") {
		t.Errorf("stage 3's commit should record the fix left out:\n%s", msg)
	}
	// Bisection by file tried the two files apart, then the fixes of
	// tags.go apart.
	if !strings.Contains(stderr, "trying the fixes of 1 file(s): fields.go") || !strings.Contains(stderr, "trying 1 fix(es) of tags.go") {
		t.Errorf("stderr does not show the bisection:\n%s", stderr)
	}
}

func TestFailedStageAndContinue(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/gomodcheck.txtar")
	head := git(t, dir, "rev-parse", "HEAD")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26")
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "new failure: example.com/gomodcheck TestGoLine") || !strings.Contains(stderr, "stage 1 failed verification") {
		t.Errorf("stderr should name the failing test and stage:\n%s", stderr)
	}
	userUntouched(t, dir, head)
	if s := git(t, dir, "log", "-1", "--format=%s", "upshift/go1.26"); !strings.Contains(s, "stage 0, baseline") {
		t.Errorf("the branch should end at the last good stage (0), ends at %q", s)
	}
	_, status, _ := migrate(t, dir, "-status")
	if !strings.Contains(status, "stopped after stage 0") {
		t.Errorf("-status:\n%s", status)
	}

	// The user fixes the test by hand on the branch.
	git(t, dir, "switch", "-q", "upshift/go1.26")
	src := filepath.Join(dir, "version.go")
	os.WriteFile(src, []byte("// Package gomodcheck reports the go line it was built for.\npackage gomodcheck\n\n// Line is the go line this package is maintained at.\nconst Line = \"1.26\"\n"), 0o644)
	git(t, dir, "commit", "-q", "-am", "gomodcheck: maintained at go 1.26")
	if code, _, stderr := migrate(t, dir, "-continue"); code != 2 || !strings.Contains(stderr, "branch upshift/go1.26 is checked out in "+dir) {
		t.Errorf("-continue with the branch checked out: exit %d, %s", code, stderr)
	}
	git(t, dir, "switch", "-q", "main")

	code, stdout, stderr = migrate(t, dir, "-continue")
	if code != 0 {
		t.Fatalf("-continue: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "resuming upshift/go1.26 after stage 0 (baseline); 1 commit(s) of yours since") {
		t.Errorf("-continue should say where it resumes:\n%s", stderr)
	}
	subjects := git(t, dir, "log", "--format=%s", "main..upshift/go1.26")
	for _, want := range []string{"stage 0, baseline", "gomodcheck: maintained at go 1.26", "stage 1, neutral bump", "stage 4, unpin", "stage 5, cleanups"} {
		if !strings.Contains(subjects, want) {
			t.Errorf("branch lacks %q:\n%s", want, subjects)
		}
	}
	// The ledger reads past the hand fix between stages 0 and 1.
	code, status, stderr = migrate(t, dir, "-status")
	if code != 0 || !strings.Contains(status, "1 neutral bump") || !strings.Contains(status, "every stage done") {
		t.Errorf("-status after a hand fix between stages: exit %d\n%s%s", code, status, stderr)
	}
}

func TestErrors(t *testing.T) {
	gitEnv(t)
	notGit := txtarmod.Extract(t, "testdata/service.txtar")
	repo := gitRepo(t, "testdata/service.txtar")
	sub := filepath.Join(repo, "sub")
	os.MkdirAll(sub, 0o755)
	for _, tc := range []struct {
		name string
		dir  string
		args []string
		want string
	}{
		{"tier", repo, []string{"-tier", "wild"}, `unknown -tier "wild"`},
		{"perf", repo, []string{"-perf", "fast"}, `unknown -perf "fast": use off, bench or capacity`},
		{"capacity without package", repo, []string{"-perf", "capacity"}, capacityNeedsPackage()},
		{"report", repo, []string{"-report", "x.pdf"}, "-report x.pdf: want a file ending in .md or .html"},
		{"to", repo, []string{"-to", "banana"}, `-to "banana": want a Go version`},
		{"future", repo, []string{"-to", "1.99"}, "newer than the installed Go toolchain"},
		{"no module", t.TempDir(), nil, "not a Go module"},
		{"not root", sub, nil, "is not a module root"},
		{"not git", notGit, []string{"-to", "1.26"}, "is not in a git work tree"},
		{"continue without branch", repo, []string{"-continue"}, "branch upshift/go1.26 does not exist"},
		{"status without branch", repo, []string{"-status"}, "branch upshift/go1.26 does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := migrate(t, tc.dir, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}

	// A dirty tree is refused, and nothing is created.
	os.WriteFile(filepath.Join(repo, "svc.go"), []byte("package svc\n"), 0o644)
	code, _, stderr := migrate(t, repo, "-to", "1.26")
	if code != 2 || !strings.Contains(stderr, "the git work tree is not clean") {
		t.Errorf("dirty tree: exit %d, %s", code, stderr)
	}
	if out := git(t, repo, "branch", "--list", "upshift/*"); out != "" {
		t.Errorf("a branch was created on a dirty tree: %s", out)
	}
	git(t, repo, "checkout", "--", "svc.go")

	// The config file is read; a flag overrides it.
	os.WriteFile(filepath.Join(repo, ConfigFile), []byte("target: \"1.99\"\n"), 0o644)
	git(t, repo, "add", ConfigFile)
	git(t, repo, "commit", "-qm", "config")
	if code, _, stderr := migrate(t, repo); code != 2 || !strings.Contains(stderr, "-to 1.99 is newer") {
		t.Errorf("config target: exit %d, %s", code, stderr)
	}
	os.WriteFile(filepath.Join(repo, "untracked.txt"), nil, 0o644)
	if code, _, stderr := migrate(t, repo, "-to", "1.26"); code != 2 || !strings.Contains(stderr, "not clean") {
		t.Errorf("-to over the config's target should get as far as the clean check: exit %d, %s", code, stderr)
	}
	os.WriteFile(filepath.Join(repo, ConfigFile), []byte("target: \"1.26\"\nperf:\n  mode: bench\n  treshold: 0.1\n"), 0o644)
	if code, _, stderr := migrate(t, repo); code != 2 || !strings.Contains(stderr, `.upshift.yaml:4:3: unknown key "treshold"`) {
		t.Errorf("unknown key: exit %d, %s", code, stderr)
	}
	// perf.mode capacity needs perf.package to run, not to read the
	// ledger: -status gets as far as the branch.
	os.WriteFile(filepath.Join(repo, ConfigFile), []byte("target: \"1.26\"\nperf:\n  mode: capacity\n"), 0o644)
	if code, _, stderr := migrate(t, repo, "-status"); code != 2 || !strings.Contains(stderr, "-status: branch upshift/go1.26 does not exist") {
		t.Errorf("-status with perf.mode capacity: exit %d, %s", code, stderr)
	}
	if code, _, stderr := migrate(t, repo); code != 2 || !strings.Contains(stderr, capacityNeedsPackage()) {
		t.Errorf("perf.mode capacity without perf.package: exit %d, %s", code, stderr)
	}
	if code, _, stderr := migrate(t, repo, "-perf", "off"); code != 2 || !strings.Contains(stderr, "not clean") {
		t.Errorf("-perf off over perf.mode capacity should get as far as the clean check: exit %d, %s", code, stderr)
	}
}

// TestPerfBench compares two stage commits the way -perf=bench does:
// instructions/op from valgrind, the previous stage's figure filled in.
func TestPerfBench(t *testing.T) {
	if testing.Short() {
		t.Skip("runs benchmarks under valgrind")
	}
	if _, err := exec.LookPath("valgrind"); err != nil {
		t.Skip("needs valgrind")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	os.WriteFile(filepath.Join(dir, "bench_test.go"), []byte(`package svc

import (
	"io"
	"testing"
)

func BenchmarkWriteHeaders(b *testing.B) {
	h := map[string]string{"A": "1", "B": "2", "C": "3"}
	for i := 0; i < b.N; i++ {
		WriteHeaders(io.Discard, h)
	}
}
`), 0o644)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-qm", "bench")
	base := git(t, dir, "rev-parse", "HEAD")
	// The head stage sorts the keys: more instructions per call.
	src, _ := os.ReadFile(filepath.Join(dir, "svc.go"))
	fixed := strings.Replace(string(src), "\tfor k, v := range h {\n", "\tfor _, k := range slices.Sorted(maps.Keys(h)) {\n\t\tv := h[k]\n", 1)
	fixed = strings.Replace(fixed, "import (\n", "import (\n\t\"maps\"\n\t\"slices\"\n", 1)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/svc\n\ngo 1.23\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "svc.go"), []byte(fixed), 0o644)
	git(t, dir, "commit", "-qam", "sorted")
	head := git(t, dir, "rev-parse", "HEAD")

	var stderr bytes.Buffer
	m := &migration{env: command.Env{Stderr: &stderr}, dir: dir,
		opts:   options{patterns: []string{"./..."}, cfg: &Config{Perf: PerfConfig{Count: 1}}},
		stages: []Stage{{N: 1}}}
	s := &Stage{N: 2, Commit: head, Verified: true}
	if err := m.perf(context.Background(), s, base); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.HasPrefix(s.Perf, "bench: 1 benchmark(s), +") || s.InstrPerOp <= m.stages[0].InstrPerOp || m.stages[0].InstrPerOp <= 0 {
		t.Errorf("perf %q, instructions/op %v after %v: want one benchmark, more instructions after sorting", s.Perf, s.InstrPerOp, m.stages[0].InstrPerOp)
	}
	if !s.Verified || len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "perf.count 1 is below 6") {
		t.Errorf("one round cannot gate, and the stage should say so: verified %v, notes %q", s.Verified, s.Notes)
	}
}

// TestBaselineDoesNotBuild: exit 2, and no branch or worktree is left.
func TestBaselineDoesNotBuild(t *testing.T) {
	dir := gitRepo(t, "testdata/service.txtar")
	os.WriteFile(filepath.Join(dir, "broken.go"), []byte("package svc\n\nvar x int = \"text\"\n"), 0o644)
	git(t, dir, "add", "broken.go")
	git(t, dir, "commit", "-qm", "broken")
	head := git(t, dir, "rev-parse", "HEAD")
	code, _, stderr := migrate(t, dir, "-to", "1.26")
	if code != 2 || !strings.Contains(stderr, "the baseline does not build") || !strings.Contains(stderr, "broken.go:3") {
		t.Errorf("exit %d, want 2 naming the build error:\n%s", code, stderr)
	}
	if b := git(t, dir, "branch", "--list", "upshift/*"); b != "" {
		t.Errorf("branch left behind: %s", b)
	}
	userUntouched(t, dir, head)
}

func TestExcludedAndAnalyzerFlags(t *testing.T) {
	m := &migration{opts: options{cfg: &Config{Exclude: []string{"gen/", "internal/old.go"}}}}
	for path, want := range map[string]bool{"gen/a.go": true, "gen": true, "generator.go": false, "internal/old.go": true, "internal/old.go.txt": false, "a.go": false} {
		if got := m.excluded(path); got != want {
			t.Errorf("excluded(%q) = %v, want %v", path, got, want)
		}
	}

	as := registry.Analyzers()
	to := godebug.Analyzer.Flags.Lookup(godebug.FlagTo)
	before := to.Value.String()
	restore, err := setAnalyzerFlags(as, nil, "go1.24")
	if err != nil {
		t.Fatal(err)
	}
	if got := to.Value.String(); got != "go1.24" {
		t.Errorf("godebug.to = %q, want go1.24", got)
	}
	restore()
	if got := to.Value.String(); got != before {
		t.Errorf("godebug.to after restore = %q, want %q", got, before)
	}
	for _, tc := range []struct {
		flags map[string]map[string]string
		want  string
	}{
		{map[string]map[string]string{"nosuch": {"x": "1"}}, `unknown analyzer "nosuch"`},
		{map[string]map[string]string{"godebug": {"nosuch": "1"}}, `analyzers.godebug: unknown flag "nosuch"`},
		{map[string]map[string]string{"godebug": {"to": "banana"}}, ""},
	} {
		restore, err := setAnalyzerFlags(as, tc.flags, "go1.26")
		if tc.want == "" {
			// The godebug analyzer checks its flag when it runs: the
			// value is taken, then restored.
			if err != nil {
				t.Errorf("%v: %v", tc.flags, err)
			} else {
				restore()
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.flags, err, tc.want)
		}
		if got := to.Value.String(); got != before {
			t.Errorf("%v: a failed set left godebug.to = %q", tc.flags, got)
		}
	}
}

// TestFixStageLeavesOutWhatFailsACheck: the bisection is the same for
// any check a fix stage must pass; here a stand-in for a benchmark that
// regresses when WriteHeaders sorts its keys.
func TestFixStageLeavesOutWhatFailsACheck(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fix engine and the tests")
	}
	dir := gitRepo(t, "testdata/service.txtar")
	var stderr bytes.Buffer
	m := &migration{env: command.Env{Stderr: &stderr}, dir: dir, wt: repo{dir: dir},
		opts:     options{patterns: []string{"./..."}, cfg: &Config{}, perf: "off"},
		baseFail: map[string]bool{}, left: map[string]string{}, findingCache: map[string]findingSet{}}
	calls := 0
	m.extraCheck = &check{"benchmark", func(ctx context.Context) ([]string, error) {
		calls++
		src, err := os.ReadFile(filepath.Join(dir, "svc.go"))
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(src), "sort.Strings(keys)") {
			return []string{"example.com/svc.BenchmarkWriteHeaders +120.0% instructions/op"}, nil
		}
		return nil, nil
	}}
	s := &Stage{N: 3}
	if err := m.applyFixes(context.Background(), s, []*analysis.Analyzer{maporder.Analyzer}, tier.Behavior); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if s.Applied != 0 || len(s.LeftOut) != 1 || !strings.HasPrefix(s.LeftOut[0], "maporder svc.go:12: ") ||
		!strings.HasSuffix(s.LeftOut[0], "(breaks example.com/svc.BenchmarkWriteHeaders +120.0% instructions/op)") {
		t.Errorf("applied %d, left out %q: want the WriteHeaders fix left out, blamed on the benchmark", s.Applied, s.LeftOut)
	}
	if src, _ := os.ReadFile(filepath.Join(dir, "svc.go")); strings.Contains(string(src), "sort.Strings") {
		t.Errorf("the fix left out is in the work tree:\n%s", src)
	}
	// With one fix in one file there is nothing to bisect; the stage's
	// own verification (finish) checks the result.
	if calls != 1 {
		t.Errorf("the check ran %d times, want 1", calls)
	}
	if _, ok := m.left["maporder\x00svc.go\x00"+strings.TrimSuffix(strings.SplitN(s.LeftOut[0], ": ", 2)[1], " (breaks example.com/svc.BenchmarkWriteHeaders +120.0% instructions/op)")]; !ok {
		t.Errorf("later stages would apply the fix again: %q", m.left)
	}
}

// TestVetGate: a check go test's vet runs only from go1.24 (printf's
// non-constant format) would fail the bump; its fix comes with the bump.
func TestVetGate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration")
	}
	dir := gitRepo(t, "testdata/vetgate.txtar")
	code, stdout, stderr := migrate(t, dir, "-to", "1.26")
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "fixed with go vet's own fix (go vet -fix): lines_test.go:12:21: non-constant format string in call to fmt.Fprintf") {
		t.Errorf("stage 1 should name the vet fix:\n%s", stderr)
	}
	test := git(t, dir, "show", "upshift/go1.26~4:lines_test.go")
	if !strings.Contains(test, `fmt.Fprintf(&buf, "%s", l+"\n")`) {
		t.Errorf("the bump's commit should hold the fix:\n%s", test)
	}
	if subject := git(t, dir, "log", "-1", "--format=%s", "upshift/go1.26~4"); !strings.Contains(subject, "stage 1, neutral bump") {
		t.Errorf("upshift/go1.26~4 is %q, want the bump", subject)
	}
}
