package fixcmd

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

var testAnalyzers = []*analysis.Analyzer{
	rewritetest.Renamer("rename", tier.Safe, map[string]string{
		"old": "renewed", "chainA": "chainB", "chainB": "chainC", "broken": "undefinedFn",
	}),
	rewritetest.Renamer("behave", tier.Behavior, map[string]string{"loud": "quiet"}),
}

// TestMain makes the test binary the vet tool that upshift fix runs
// through go vet: it serves the test analyzers and upshift's own.
func TestMain(m *testing.M) {
	var checks []meta.Check
	for _, a := range testAnalyzers {
		checks = append(checks, meta.Check{Analyzer: a, Name: a.Name, ID: a.Name})
	}
	vetcmd.ServeTool(vetcmd.Suite{Checks: append(checks, registry.Checks()...)})
	os.Exit(m.Run())
}

// setup writes the module of a txtar case into a temp dir and returns the
// dir and the archive's sections by name.
func setup(t *testing.T, name string) (string, map[string]string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	dir := t.TempDir()
	sections := map[string]string{}
	for _, f := range ar.Files {
		switch {
		case f.Name == "args" || f.Name == "exit" || f.Name == "stdout" || f.Name == "stderr" || strings.HasPrefix(f.Name, "want/"):
			sections[f.Name] = string(f.Data)
		default:
			p := filepath.Join(dir, f.Name)
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, f.Data, 0o644))
		}
	}
	return dir, sections
}

func runFix(dir string, args ...string) (int, string, string) {
	return runFixWith(testAnalyzers, dir, args...)
}

func runFixWith(analyzers []*analysis.Analyzer, dir string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
	code := Main(context.Background(), env, analyzers, args)
	return code, stdout.String(), stderr.String()
}

func TestEndToEnd(t *testing.T) {
	endToEnd(t, "testdata/*.txtar", testAnalyzers)
}

// TestEndToEndSuite runs the cases of testdata/suite with upshift's own
// analyzers, for what only their combination shows.
func TestEndToEndSuite(t *testing.T) {
	endToEnd(t, "testdata/suite/*.txtar", registry.Analyzers())
}

func endToEnd(t *testing.T, glob string, analyzers []*analysis.Analyzer) {
	cases, err := filepath.Glob(glob)
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		name, err := filepath.Rel("testdata", c)
		require.NoError(t, err)
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			// Analyzer flags live in the analyzers: a case that sets one
			// must not leak it into the next.
			t.Cleanup(func() {
				for _, a := range analyzers {
					a.Flags.VisitAll(func(f *flag.Flag) { f.Value.Set(f.DefValue) })
				}
			})
			dir, sec := setup(t, name)
			code, stdout, stderr := runFixWith(analyzers, dir, strings.Fields(sec["args"])...)
			want, err := strconv.Atoi(strings.TrimSpace(sec["exit"]))
			require.NoError(t, err)
			assert.Equal(t, want, code, "stderr:\n%s", stderr)
			if w, ok := sec["stdout"]; ok {
				assert.Equal(t, w, stdout)
			}
			if w, ok := sec["stderr"]; ok {
				assert.Equal(t, w, stderr)
			}
			for k, w := range sec {
				if file, ok := strings.CutPrefix(k, "want/"); ok {
					got, err := os.ReadFile(filepath.Join(dir, file))
					require.NoError(t, err)
					assert.Equal(t, w, string(got), file)
				}
			}
		})
	}
}

// TestDiffApplies checks that git apply takes -diff's output and that the
// result equals what -w writes; then a second run changes nothing.
func TestDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir, _ := setup(t, "diff.txtar")
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	git("init", "-q")
	code, patch, _ := runFix(dir, "-diff")
	require.Equal(t, command.ExitFindings, code)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(patch), 0o644))
	git("apply", "fix.patch")
	require.NoError(t, os.Remove(filepath.Join(dir, "fix.patch")))
	applied, err := os.ReadFile(filepath.Join(dir, "svc/svc.go"))
	require.NoError(t, err)
	assert.Contains(t, string(applied), "return chainC() + renewed()")

	code, stdout, stderr := runFix(dir, "-diff")
	assert.Equal(t, command.ExitOK, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "upshift fix: nothing to change\n", stderr)
}

func TestReadOnlyWritesNothing(t *testing.T) {
	dir, _ := setup(t, "rollback.txtar")
	// Make one of the files to change read-only: nothing at all is written.
	writeProtected := filepath.Join(dir, "a.go")
	require.NoError(t, os.Chmod(writeProtected, 0o444))
	before, _ := os.ReadFile(writeProtected)
	code, _, stderr := runFix(dir, "-w")
	if os.Geteuid() == 0 {
		// root ignores permission bits when writing, but upshift still
		// refuses to replace a file its owner marked read-only.
		t.Log("running as root")
	}
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "a.go: file is read-only")
	assert.Contains(t, stderr, "nothing was written")
	after, _ := os.ReadFile(writeProtected)
	assert.Equal(t, string(before), string(after))
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runFix(dir, "-diff", "-w")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "do not go together")
	code, _, stderr = runFix(dir, "-tier", "wild")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, `unknown -tier "wild"`)
	code, _, stderr = runFix(dir, "-only", "nope")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, `unknown analyzer "nope"`)
	code, _, stderr = runFix(dir, "-rounds", "-1")
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift fix: -rounds -1: want at least 1 round\n", stderr)
	t.Setenv("GO111MODULE", "")
	code, _, stderr = runFix(dir, "./...")
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift fix: no go.mod in "+dir+" (not a Go module): run upshift in a module's directory, or pass -C DIR\n", stderr)
}
