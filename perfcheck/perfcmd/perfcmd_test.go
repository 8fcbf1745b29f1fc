package perfcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/perf/benchfmt"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/perfcheck/counter"
)

func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := command.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir}
	code = Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestUsageAndFlags(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := run(t, dir, "-h")
	assert.Equal(t, command.ExitOK, code)
	assert.Contains(t, out, "bench")
	assert.Contains(t, out, "profile")

	code, _, errs := run(t, dir)
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "usage: upshift perf")

	code, _, errs = run(t, dir, "frobnicate")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, `unknown subcommand "frobnicate"`)

	code, _, errs = run(t, dir, "bench", "-h")
	assert.Equal(t, command.ExitOK, code)
	assert.Contains(t, errs, "Examples:")
	assert.Contains(t, errs, "-threshold")

	code, _, errs = run(t, dir, "bench", "-nosuchflag")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "nosuchflag")

	code, _, errs = run(t, dir, "bench", "-head", "HEAD")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "-base and -head are required")

	code, _, errs = run(t, dir, "bench", "-base", "a", "-head", "b", "-threshold", "lots")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "-threshold")

	code, _, errs = run(t, dir, "bench", "-base", "a", "-head", "b", "-backend", "abacus")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, `unknown counter backend "abacus"`)

	// A directory outside any module is named as such, not with the go
	// command's "directory prefix . does not contain main module".
	t.Setenv("GO111MODULE", "")
	code, _, errs = run(t, dir, "bench", "-base", ".", "-head", ".", "-backend", "none", "./...")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "(.): no go.mod (not a Go module)")
	assert.NotContains(t, errs, "directory prefix")

	code, _, errs = run(t, dir, "profile", "-h")
	assert.Equal(t, command.ExitOK, code)
	assert.Contains(t, errs, "go tool pprof")

	code, _, errs = run(t, dir, "profile")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "no command given")
}

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]float64{"1%": 0.01, "0.5%": 0.005, "2": 0.02, " 0% ": 0} {
		got, err := parseThreshold(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want, got, 1e-12, in)
	}
	for _, in := range []string{"", "x%", "-1%"} {
		_, err := parseThreshold(in)
		assert.Error(t, err, in)
	}
}

func TestBenchErrorsExitTwo(t *testing.T) {
	mod, err := filepath.Abs("../bench/testdata/benchmod")
	require.NoError(t, err)
	code, _, errs := run(t, mod, "bench", "-base", "base", "-head", "head", "-backend", "none", "-count", "1", "-bench", "NoSuchBenchmark")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "no benchmarks matched")
}

func requireValgrind(t *testing.T) {
	t.Helper()
	if err := (&counter.Valgrind{}).Probe(context.Background()); err != nil {
		t.Skipf("valgrind backend unavailable, skipping (install valgrind to run this test): %v", err)
	}
	if testing.Short() {
		t.Skip("integration test under valgrind: takes minutes; skipped with -short")
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return string(out)
}

// TestBenchValgrindDetectsRegression reverts the testdata module's 12%
// instruction cut: commit 1 is the optimised version (testdata "head"),
// commit 2 goes back to the original (testdata "base"), +13.6%
// instructions/op. The module lives in a subdirectory of the repository
// and both versions are git revisions, so the user's checkout must stay
// untouched.
func TestBenchValgrindDetectsRegression(t *testing.T) {
	requireValgrind(t)
	repo := t.TempDir()
	mod := filepath.Join(repo, "svc")
	git(t, repo, "init", "-q")
	require.NoError(t, os.CopyFS(mod, os.DirFS("../bench/testdata/benchmod/head")))
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "optimised")
	src, err := os.ReadFile("../bench/testdata/benchmod/base/work.go")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "work.go"), src, 0o644))
	git(t, repo, "commit", "-q", "-am", "revert the optimisation")

	file := filepath.Join(t.TempDir(), "bench.txt")
	code, stdout, stderr := run(t, mod, "bench", "-base", "HEAD~1", "-head", "HEAD", "-backend", "valgrind",
		"-count", "10", "-threshold", "5%", "-bench", "Hash|Format", "-format", "json", "-o", file, ".")
	require.Equal(t, command.ExitFindings, code, "stderr: %s\nstdout: %s", stderr, stdout)
	assert.Empty(t, git(t, repo, "status", "--porcelain"), "the checkout is untouched")

	var rep struct {
		Backend     string
		Regressions int
		GateUnit    string `json:"gate_unit"`
		Comparisons []struct {
			Name, Unit  string
			Delta       float64
			DeltaLo     float64 `json:"delta_lo"`
			PAdjusted   float64 `json:"p_adjusted"`
			Significant bool
			Regression  bool
			Base        struct{ N int }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.Equal(t, "valgrind", rep.Backend)
	assert.Equal(t, "instructions/op", rep.GateUnit)
	assert.Equal(t, 1, rep.Regressions)
	found := 0
	for _, c := range rep.Comparisons {
		if c.Unit != "instructions/op" {
			continue
		}
		found++
		assert.Equal(t, 10, c.Base.N)
		switch c.Name {
		case "Hash":
			assert.True(t, c.Regression)
			assert.InDelta(t, 1000.0/880-1, c.Delta, 0.01, "about +13.6%%")
			assert.Greater(t, c.DeltaLo, 0.05)
			assert.Less(t, c.PAdjusted, 0.05)
			t.Logf("Hash: delta %+.3f%%, bound %+.3f%%, p(Holm) %.2g", 100*c.Delta, 100*c.DeltaLo, c.PAdjusted)
		case "Format":
			assert.False(t, c.Regression, "Format did not change")
			assert.InDelta(t, 0, c.Delta, 0.01)
		}
	}
	assert.Equal(t, 2, found)

	// The benchmark-format file is what benchstat reads.
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(raw), "Unit instructions/op better=lower")
	rd := benchfmt.NewReader(bytes.NewReader(raw), file)
	sides := map[string]int{}
	for rd.Scan() {
		if res, ok := rd.Result().(*benchfmt.Result); ok {
			assert.Equal(t, "valgrind", res.GetConfig("backend"))
			sides[res.GetConfig("side")]++
			_, ok := res.Value("instructions/op")
			assert.True(t, ok)
		}
	}
	require.NoError(t, rd.Err())
	assert.Equal(t, map[string]int{"base": 20, "head": 20}, sides)

	// The same data as text names the backend and the regression.
	code, text, _ := run(t, mod, "bench", "-base", "HEAD~1", "-head", "HEAD", "-backend", "none", "-count", "1", "-bench", "Hash")
	assert.Equal(t, command.ExitOK, code, "one round can never be significant")
	assert.Contains(t, text, "backend: none")
}

func TestProfileCommand(t *testing.T) {
	requireValgrind(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "spin")
	out, err := exec.Command("go", "build", "-o", bin, "../profile/testdata/spin").CombinedOutput()
	require.NoError(t, err, string(out))
	code, stdout, stderr := run(t, dir, "profile", "-o", "spin.pprof", "--", bin)
	require.Equal(t, command.ExitOK, code, stderr)
	assert.Equal(t, "true\n", stdout, "the command's output passes through")
	assert.Contains(t, stderr, "main.mix")
	assert.Contains(t, stderr, "go tool pprof -top")

	f, err := os.Open(filepath.Join(dir, "spin.pprof"))
	require.NoError(t, err)
	defer f.Close()
	p, err := profile.Parse(f)
	require.NoError(t, err)
	assert.Equal(t, "instructions", p.SampleType[0].Type)

	code, _, stderr = run(t, dir, "profile", "--", "/bin/false")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "exit status 1")
}

// The README's form, `perf profile -- go run PKG`, profiles the program
// (main.mix is counted), not the go command; a program that does not
// compile gets its compile errors shown and exit 2.
func TestProfileGoRun(t *testing.T) {
	requireValgrind(t)
	here, err := filepath.Abs(".")
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "spin.pprof")
	code, stdout, stderr := run(t, here, "profile", "-o", out, "--", "go", "run", "../profile/testdata/spin")
	require.Equal(t, command.ExitOK, code, stderr)
	assert.Equal(t, "true\n", stdout)
	assert.Contains(t, stderr, "main.mix")

	broken := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(broken, "go.mod"), []byte("module example.com/broken\n\ngo 1.22\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(broken, "main.go"), []byte("package main\n\nfunc main() { undefinedThing() }\n"), 0o644))
	code, _, stderr = run(t, broken, "profile", "--", "go", "run", ".")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "go run . does not build")
	assert.Contains(t, stderr, "main.go:3:15: undefined: undefinedThing")
}

func TestParseGoRun(t *testing.T) {
	r, ok := parseGoRun([]string{"go", "run", "-tags", "x", "-race", "./cmd/a", "-n", "3"})
	require.True(t, ok)
	assert.Equal(t, []string{"-tags", "x", "-race"}, r.flags)
	assert.Equal(t, []string{"./cmd/a"}, r.pkg)
	assert.Equal(t, []string{"-n", "3"}, r.args)
	r, ok = parseGoRun([]string{"/usr/local/go/bin/go", "run", "a.go", "b.go", "arg"})
	require.True(t, ok)
	assert.Equal(t, []string{"a.go", "b.go"}, r.pkg)
	assert.Equal(t, []string{"arg"}, r.args)
	_, ok = parseGoRun([]string{"go", "build", "."})
	assert.False(t, ok)
}
