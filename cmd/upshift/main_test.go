package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// build compiles the upshift binary into a temp dir.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "upshift")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

func run(t *testing.T, dir string, name string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, stdout.String(), stderr.String()
}

// The bundled sample's migrated service compares a config value holding
// []byte with a string: the "b" prefix bug of the story.
const sampleFinding = "main.go:55:"

func TestGoVetVettool(t *testing.T) {
	bin := build(t)
	sample, err := filepath.Abs("../../testdata/sample/migrated")
	require.NoError(t, err)

	code, _, stderr := run(t, sample, "go", "vet", "-vettool="+bin, "./...")
	assert.NotEqual(t, 0, code, "go vet must fail on findings")
	assert.Contains(t, stderr, sampleFinding)

	// go vet -json: diagnostics keyed by package and analyzer, exit 0.
	// (Go 1.26 prints it on stdout; older releases on stderr.)
	code, stdout, stderr := run(t, sample, "go", "vet", "-vettool="+bin, "-json", "./...")
	assert.Equal(t, 0, code, stderr)
	out := stdout + stderr
	start := strings.Index(out, "{")
	require.GreaterOrEqual(t, start, 0, out)
	dec := json.NewDecoder(strings.NewReader(out[start:]))
	var tree map[string]map[string]json.RawMessage
	require.NoError(t, dec.Decode(&tree))
	assert.Contains(t, tree["example.com/catalog"], "bytestring")

	// The baseline has no such finding.
	baseline, err := filepath.Abs("../../testdata/sample/baseline")
	require.NoError(t, err)
	_, _, stderr = run(t, baseline, "go", "vet", "-vettool="+bin, "-bytestring", "./...")
	assert.NotContains(t, stderr, sampleFinding)
}

func TestUpshiftVet(t *testing.T) {
	bin := build(t)
	sample, err := filepath.Abs("../../testdata/sample/migrated")
	require.NoError(t, err)
	code, stdout, stderr := run(t, sample, bin, "vet", "./...")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, sampleFinding)
	assert.Contains(t, stdout, "(bytestring)")

	// -C from the repository root, as in README.
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	code, stdout2, _ := run(t, root, bin, "-C", "testdata/sample/migrated", "vet", "./...")
	assert.Equal(t, 1, code)
	assert.Equal(t, stdout, stdout2)

	code, _, stderr = run(t, sample, bin, "vet", "-format=bogus")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "bogus")

	code, stdout, _ = run(t, sample, bin, "explain", "bytestring")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "Before:")
	assert.Contains(t, stdout, "After:")
}

// TestFixTurnsStreamingOn is the showcase's middle step: the safe tier
// leaves the sample alone, the behavior tier fixes the comparison, the
// result builds, vet is clean, and the service starts with its
// memory-saving streaming mode on.
func TestFixTurnsStreamingOn(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../../testdata/sample/migrated")))
	before, err := os.ReadFile(filepath.Join(dir, "main.go"))
	require.NoError(t, err)

	code, _, stderr := run(t, dir, bin, "fix", "-w", "./...")
	assert.Equal(t, 0, code, stderr)
	after, err := os.ReadFile(filepath.Join(dir, "main.go"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the safe tier must not change behaviour")

	code, _, stderr = run(t, dir, bin, "fix", "-tier=behavior", "-w", "./...")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "1 fix(es) changed 1 file(s)")
	code, _, stderr = run(t, dir, bin, "vet", "./...")
	assert.Equal(t, 0, code, stderr)

	catalog := filepath.Join(dir, "catalog")
	code, _, stderr = run(t, dir, "go", "build", "-o", catalog, ".")
	require.Equal(t, 0, code, stderr)
	// The service logs its mode at start, then serves until killed.
	cmd := exec.Command(catalog)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT=0")
	logs, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Process.Kill()
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		sc.Scan()
		first <- sc.Text()
	}()
	select {
	case line := <-first:
		assert.Contains(t, line, "catalog: streaming=true")
	case <-time.After(30 * time.Second):
		t.Fatal("the fixed service logged nothing within 30s")
	}
}

// TestFixMakesOutputDeterministic runs a program whose output follows map
// order: its runs differ before `upshift fix -w` and agree after it. The
// two loops give findings with the same message in one file; both are
// fixed in the first round, and a second run has nothing to do.
func TestFixMakesOutputDeterministic(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/report\n\ngo 1.23\n",
		"main.go": `package main

import (
	"fmt"
	"os"
)

func main() {
	teams := map[string]int{}
	for i := range 40 {
		teams[fmt.Sprintf("team-%02d", i)] = i
	}
	// The report, one line per team.
	for name, n := range teams {
		fmt.Fprintln(os.Stdout, name, n)
	}
	for name := range teams {
		fmt.Fprintln(os.Stdout, name)
	}
}
`,
	}
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	outputs := func() map[string]bool {
		seen := map[string]bool{}
		for range 5 {
			code, stdout, stderr := run(t, dir, "go", "run", ".")
			require.Equal(t, 0, code, stderr)
			seen[stdout] = true
		}
		return seen
	}
	assert.Greater(t, len(outputs()), 1, "before the fix, runs should print in different orders")

	code, stdout, stderr := run(t, dir, bin, "fix", "-json", "-w", "-tier=behavior", "./...")
	require.Equal(t, 0, code, stderr)
	var res struct {
		Rounds    int  `json:"rounds"`
		Converged bool `json:"converged"`
		Fixes     []struct {
			Analyzer, Fate string
			Round          int
		} `json:"fixes"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
	assert.True(t, res.Converged)
	assert.Equal(t, 1, res.Rounds)
	require.Len(t, res.Fixes, 2, stdout)
	for _, f := range res.Fixes {
		assert.Equal(t, "maporder", f.Analyzer)
		assert.Equal(t, "applied", f.Fate)
		assert.Equal(t, 1, f.Round)
	}
	assert.Len(t, outputs(), 1, "after the fix, every run should print the same")

	code, _, stderr = run(t, dir, bin, "fix", "-tier=behavior", "./...")
	assert.Equal(t, 0, code, "a second run has nothing to change: %s", stderr)
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	require.NoError(t, err)
	assert.Contains(t, string(src), "// The report, one line per team.\n\tfor _, name := range slices.Sorted(maps.Keys(teams)) {")
}

// TestGoFixFixtool runs upshift as go fix's fix tool: the safe tier by
// default, the behavior tier (maporder's and bytestring's fixes) only with
// UPSHIFT_FIX_TIER=behavior.
func TestGoFixFixtool(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/fixdemo\n\ngo 1.24\n",
		"main.go": `package main

import "fmt"

// Names returns the keys in map order: maporder's fix changes the order
// callers and tests see, so it is behavior-tier.
func Names(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// streaming compares a []byte held in an any with text: bytestring's fix
// changes behaviour.
func streaming(cfg map[string]any) bool {
	cfg["mode"] = []byte("on")
	return cfg["mode"] == "on"
}

func main() { fmt.Println(Names(map[string]int{"a": 1}), streaming(map[string]any{})) }
`,
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	code, stdout, stderr := run(t, dir, "go", "fix", "-fixtool="+bin, "-diff", "./...")
	assert.Equal(t, 0, code, "no safe fix, no diff: %s", stderr)
	assert.NotContains(t, stdout, "slices.Sorted", "behavior-tier fixes need UPSHIFT_FIX_TIER=behavior")
	assert.NotContains(t, stdout, `fmt.Sprintf("%s", cfg["mode"])`, "behavior-tier fixes need UPSHIFT_FIX_TIER=behavior")

	cmd := exec.Command("go", "fix", "-fixtool="+bin, "-diff", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "UPSHIFT_FIX_TIER=behavior")
	out, _ := cmd.Output()
	assert.Contains(t, string(out), `fmt.Sprintf("%s", cfg["mode"]) == "on"`)
	assert.Contains(t, string(out), "+\tout := slices.Sorted(maps.Keys(m))")
}
