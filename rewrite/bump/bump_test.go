package bump

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/internal/command"
)

func module(t *testing.T, gomod string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	return dir
}

// defaultGODEBUG asks the go command for the effective non-default
// GODEBUG settings of the module's main package.
func defaultGODEBUG(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.DefaultGODEBUG}}", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return strings.TrimSpace(string(out))
}

// The point of the pins: the effective GODEBUG defaults after the bump are
// exactly those before it, so the bump changes the language version only.
func TestBumpIsBehaviourNeutral(t *testing.T) {
	for _, from := range []string{"1.21", "1.22", "1.23"} {
		t.Run(from, func(t *testing.T) {
			dir := module(t, "module example.com/svc\n\ngo "+from+"\n")
			before := defaultGODEBUG(t, dir)
			var stderr bytes.Buffer
			env := command.Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Dir: dir}
			code := Main(context.Background(), env, []string{"-w", "1.26"})
			require.Equal(t, command.ExitOK, code, stderr.String())
			after := defaultGODEBUG(t, dir)
			assert.Equal(t, before, after)
			gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
			assert.Contains(t, string(gomod), "go 1.26")
			assert.Contains(t, stderr.String(), "pinned to their old values")

			// Without pins the defaults do change.
			dir2 := module(t, "module example.com/svc\n\ngo "+from+"\n")
			res, err := Plan(filepath.Join(dir2, "go.mod"), "1.26", false)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir2, "go.mod"), res.New, 0o644))
			assert.NotEqual(t, before, defaultGODEBUG(t, dir2))
		})
	}
}

func TestPlan(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.22\n\ngodebug asynctimerchan=0\n")
	res, err := Plan(filepath.Join(dir, "go.mod"), "go1.24", true)
	require.NoError(t, err)
	assert.Equal(t, "go1.22", res.From)
	assert.Equal(t, "go1.24", res.To)
	assert.Equal(t, []string{"asynctimerchan"}, res.Kept)
	out := string(res.New)
	assert.Contains(t, out, "asynctimerchan=0", "an existing setting is kept")
	assert.Contains(t, out, "randseednop=0 // go1.24:")
	assert.NotContains(t, out, "httpmuxgo121", "changed in 1.22: not flipped by 1.22 -> 1.24")
}

func TestErrors(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.24\n")
	res, err := Plan(filepath.Join(dir, "go.mod"), "1.22", true)
	require.NoError(t, err)
	assert.True(t, res.Current, "a lower target leaves nothing to do")
	_, err = Plan(filepath.Join(dir, "go.mod"), "banana", true)
	assert.ErrorContains(t, err, "not a Go version")
	assert.NotContains(t, err.Error(), "-to", "bump has no -to flag")
	_, err = Plan(filepath.Join(dir, "go.mod"), "1.99", true)
	assert.ErrorContains(t, err, "newer than the installed Go toolchain")

	old := module(t, "module example.com/svc\n\ngo 1.20\n")
	_, err = Plan(filepath.Join(old, "go.mod"), "1.22", true)
	assert.ErrorContains(t, err, "need go 1.23")

	var stderr bytes.Buffer
	empty := t.TempDir()
	env := command.Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Dir: empty}
	assert.Equal(t, command.ExitError, Main(context.Background(), env, []string{"1.24"}))
	assert.Equal(t, "upshift bump: no go.mod in "+empty+" (not a Go module)\n", stderr.String())
}

func runBump(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
	code := Main(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

// A second bump to the same version has nothing to do: exit 0.
func TestSecondRunIsNoOp(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.23\n")
	code, _, stderr := runBump(t, dir, "-w", "1.26")
	require.Equal(t, command.ExitOK, code, stderr)
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	code, _, stderr = runBump(t, dir, "-w", "1.26")
	assert.Equal(t, command.ExitOK, code, stderr)
	assert.Contains(t, stderr, "nothing to do")
	code, stdout, _ := runBump(t, dir, "-diff", "1.26")
	assert.Equal(t, command.ExitOK, code)
	assert.Empty(t, stdout)
	after, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	assert.Equal(t, string(gomod), string(after))
}

// A release that does not exist (here: newer than the toolchain) is
// refused before anything is written.
func TestUnknownReleaseWritesNothing(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.23\n")
	code, _, stderr := runBump(t, dir, "-w", "1.99")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "upshift bump: version 1.99 is newer than the installed Go toolchain")
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	assert.Equal(t, "module example.com/svc\n\ngo 1.23\n", string(gomod))

	code, _, stderr = runBump(t, dir, "-diff", "banana")
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift bump: version \"banana\" is not a Go version such as 1.24 or go1.24.3\n", stderr)
}

func TestDiffPending(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.23\n")
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
	code := Main(context.Background(), env, []string{"-diff", "1.25"})
	assert.Equal(t, command.ExitFindings, code)
	assert.Contains(t, stdout.String(), "-go 1.23")
	assert.Contains(t, stdout.String(), "+go 1.25")
	assert.Contains(t, stdout.String(), "+godebug (")
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	assert.Equal(t, "module example.com/svc\n\ngo 1.23\n", string(gomod), "-diff writes nothing")
}

// Crossing go1.22 needs the loops checked, so a module that does not
// type-check is refused with its errors, and nothing is written.
func TestBrokenModuleWritesNothing(t *testing.T) {
	dir := module(t, "module example.com/svc\n\ngo 1.21\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { x }\n"), 0o644))
	code, _, stderr := runBump(t, dir, "-w", "1.26")
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift bump: the module does not build, so its loops cannot be checked:\nmain.go:3:15: undefined: x\n", stderr)
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	assert.Equal(t, "module example.com/svc\n\ngo 1.21\n", string(gomod))
}
