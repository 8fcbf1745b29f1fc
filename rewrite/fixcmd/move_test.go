package fixcmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/engine"
	"github.com/upshift-dev/upshift/rewrite/movefix"
)

// moveModule unpacks a -move case and downloads its requirements into the
// shared module cache (a no-op once they are there: the test then runs
// offline). It returns the dir and the want/ sections.
func moveModule(t *testing.T, name string) (string, map[string]string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "move", name))
	require.NoError(t, err)
	dir := t.TempDir()
	want := map[string]string{}
	for _, f := range ar.Files {
		if file, ok := strings.CutPrefix(f.Name, "want/"); ok {
			want[file] = string(f.Data)
			continue
		}
		p := filepath.Join(dir, f.Name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, f.Data, 0o644))
	}
	goRun(t, dir, "mod", "download")
	return dir, want
}

func goRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %v: %s", args, out)
	return string(out)
}

// TestMoveErrors is the done-when on a small module: after
// fix -move github.com/pkg/errors=errors -w it builds, its tests (which
// check that nil errors stay nil and that messages are unchanged) pass,
// go.mod no longer requires pkg/errors, and a second run changes nothing.
func TestMoveErrors(t *testing.T) {
	dir, want := moveModule(t, "errors.txtar")
	goRun(t, dir, "test", "./...") // the tests pass before the move

	code, _, stderr := runFix(dir, "-move", "github.com/pkg/errors=errors", "-w", "./...")
	assert.Equal(t, 0, code, "stderr:\n%s", stderr)
	for file, w := range want {
		got, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		assert.Equal(t, w, string(got), file)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	require.NoError(t, err)
	assert.NotContains(t, string(sum), "github.com/pkg/errors")
	goRun(t, dir, "vet", "./...")
	goRun(t, dir, "test", "./...")

	code, _, stderr = runFix(dir, "-move", "github.com/pkg/errors=errors", "-w", "./...")
	assert.Equal(t, 0, code, "the second run has nothing to move: %s", stderr)
	assert.Contains(t, stderr, "nothing to change: -move: -module github.com/pkg/errors: not required by")
}

// TestMoveDiffAndBlocked: -diff writes nothing; a package using Cause is
// not moved and the use is named with its reason, while the other package
// moves (go.mod keeps pkg/errors for the blocked one).
func TestMoveDiffAndBlocked(t *testing.T) {
	dir, _ := moveModule(t, "errors.txtar")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "cause.go"), []byte(causeSrc("sub")), 0o644))
	before, err := os.ReadFile(filepath.Join(dir, "config.go"))
	require.NoError(t, err)

	code, stdout, stderr := runFix(dir, "-move", "github.com/pkg/errors=errors", "-diff", "./...")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, "diff --git a/config.go b/config.go")
	assert.NotContains(t, stdout, "cause.go", "the blocked package is not moved")
	assert.NotContains(t, stdout, "go.mod", "pkg/errors is still required by sub")
	assert.Contains(t, stderr, "sub/cause.go:9:16: skipped (move): no automatic fix: Cause (DEP202)")
	after, err := os.ReadFile(filepath.Join(dir, "config.go"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "-diff writes nothing")
}

// TestMoveWholePackage: a package moves all or nothing, since a half-moved
// package mixes the errors (or types) of both versions.
func TestMoveWholePackage(t *testing.T) {
	dir, _ := moveModule(t, "errors.txtar")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cause.go"), []byte(causeSrc("svc")), 0o644))
	code, stdout, stderr := runFix(dir, "-move", "github.com/pkg/errors=errors", "-diff", "./...")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "config.go:7:2: skipped (move): no automatic fix: not moved: cause.go:9:16 in the same package cannot be moved")
}

func causeSrc(pkg string) string {
	return "package " + pkg + "\n\nimport \"github.com/pkg/errors\"\n\nvar errEmpty = errors.New(\"empty\")\n\n// IsEmpty reports whether err is errEmpty at its root.\nfunc IsEmpty(err error) bool {\n\treturn errors.Cause(err) == errEmpty\n}\n"
}

// TestMoveYAML moves a module to a new major path: the import, go.mod and
// go.sum change, the package builds against yaml.v3 and its tests pass;
// the Marshal call is listed for review (v3 indents differently).
func TestMoveYAML(t *testing.T) {
	dir, want := moveModule(t, "yaml.txtar")
	goRun(t, dir, "test", "./...")
	code, _, stderr := runFix(dir, "-move", "gopkg.in/yaml.v2=gopkg.in/yaml.v3@v3.0.1", "-w", "./...")
	assert.Equal(t, 0, code, "stderr:\n%s", stderr)
	assert.Contains(t, stderr, "doc.go:15:14: skipped (move): no automatic fix: review after the move (DEP104)")
	for file, w := range want {
		got, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		assert.Equal(t, w, string(got), file)
	}
	goRun(t, dir, "vet", "./...")
	goRun(t, dir, "test", "./...")
	code, _, stderr = runFix(dir, "-move", "gopkg.in/yaml.v2=gopkg.in/yaml.v3@v3.0.1", "-w", "./...")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "nothing to change")
}

// TestMoveBadSpec: a malformed -move is a usage error.
func TestMoveBadSpec(t *testing.T) {
	dir, _ := moveModule(t, "errors.txtar")
	code, _, stderr := runFix(dir, "-move", "github.com/pkg/errors", "./...")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "want OLD=NEW")
}

// TestMoveSameThroughGoVet: the move gives the same files and the same
// outcomes in process (movefix.New, the package loaded whole) and through
// go vet (movefix.Analyzer, configured by -move.spec, in a tool process
// per package), which is how fix -move and fixcmd.Move run it: with a
// blocked package whose external test stays too (the blocked fact crosses
// from one tool process to the other in the vetx files), and with a
// module target loaded through -modfile.
func TestMoveSameThroughGoVet(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	for _, c := range []struct{ txtar, spec string }{
		{"errors.txtar", "github.com/pkg/errors=errors"},
		{"yaml.txtar", "gopkg.in/yaml.v2=gopkg.in/yaml.v3@v3.0.1"},
	} {
		t.Run(c.txtar, func(t *testing.T) {
			dir, _ := moveModule(t, c.txtar)
			if c.txtar == "errors.txtar" {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "cause.go"), []byte(causeSrc("sub")), 0o644))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "cause_test.go"), []byte(xtestSrc), 0o644))
			}
			ctx := context.Background()
			tgt, mod, err := moveSetup(ctx, command.Env{Dir: dir}, c.spec)
			require.NoError(t, err)
			buildFlags, cleanup, err := moveEnv(ctx, mod, tgt)
			require.NoError(t, err)
			defer cleanup()
			base := engine.Options{Dir: dir, Tests: true, Tier: tier.Safe, BuildFlags: buildFlags}
			inProcess := base
			inProcess.Analyzers = []*analysis.Analyzer{movefix.New(tgt)}
			want, err := engine.Run(ctx, inProcess)
			require.NoError(t, err)
			goVet := base
			goVet.Analyzers, goVet.Tool, goVet.Flags = []*analysis.Analyzer{movefix.Analyzer}, exe, movefix.Flags(tgt)
			got, err := engine.Run(ctx, goVet)
			require.NoError(t, err)

			require.NotEmpty(t, want.Changed, "the case moves something")
			assert.Equal(t, want.Changed, got.Changed)
			assert.Equal(t, want.Outcomes, got.Outcomes)
			if c.txtar == "errors.txtar" {
				var xtest []string
				for _, o := range got.Outcomes {
					if strings.HasSuffix(o.File, "cause_test.go") {
						xtest = append(xtest, string(o.Fate)+": "+o.Reason)
					}
				}
				assert.Equal(t, []string{"skipped: no automatic fix: not moved: cause.go:9:16 in the same package cannot be moved, and a half-moved package mixes the types and errors of both versions"}, xtest)
			}
		})
	}
}

// xtestSrc is an external test of package sub that imports pkg/errors.
const xtestSrc = `package sub_test

import (
	"testing"

	"github.com/pkg/errors"

	"example.com/svc/sub"
)

func TestIsEmpty(t *testing.T) {
	if sub.IsEmpty(errors.New("other")) {
		t.Fatal("IsEmpty")
	}
}
`

// TestMoveUnconfiguredDoesNothing: go vet runs every analyzer of its tool
// when none is selected, the move's too; without -move.spec it reports
// nothing, while go vet still vets the module.
func TestMoveUnconfiguredDoesNothing(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	dir, _ := moveModule(t, "errors.txtar")
	res, err := govet.Run{Dir: dir, Tool: exe, Fixes: true}.Do(context.Background(), []string{"./..."})
	require.NoError(t, err)
	assert.Empty(t, res.Errors)
	assert.Empty(t, res.Failures)
	assert.NotZero(t, res.Packages)
	for _, f := range res.Findings {
		assert.NotEqual(t, movefix.Name, f.Analyzer, "%s: %s", f.Pos, f.Message)
	}

	// Selected and configured, it finds the file to move.
	tgt := &deps.Target{OldPath: "github.com/pkg/errors", OldVersion: "v0.9.1", NewPath: "errors"}
	res, err = govet.Run{Dir: dir, Tool: exe, Analyzers: []string{movefix.Name}, Flags: movefix.Flags(tgt), Fixes: true}.Do(context.Background(), []string{"./..."})
	require.NoError(t, err)
	require.NotEmpty(t, res.Findings)
	assert.Equal(t, movefix.Name, res.Findings[0].Analyzer)
	assert.Contains(t, res.Findings[0].Message, "imports github.com/pkg/errors: move to errors")
}
