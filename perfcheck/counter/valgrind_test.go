package counter

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireValgrind(t *testing.T) *Valgrind {
	t.Helper()
	v := &Valgrind{}
	if err := v.Probe(context.Background()); err != nil {
		t.Skipf("valgrind backend unavailable, skipping: %v", err)
	}
	return v
}

// buildWindow builds testdata/window, a program that spins OUTSIDE
// rounds, then INSIDE rounds in a measurement window.
func buildWindow(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "window")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/window").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

func TestValgrindCountsAreReproducible(t *testing.T) {
	v := requireValgrind(t)
	bin := buildWindow(t)
	run := func(outside string) float64 {
		r, err := v.Run(context.Background(), Command{Path: bin, Args: []string{outside, "0"}, Env: MergeEnv(os.Environ(), "GOGC=off")})
		require.NoError(t, err)
		assert.Equal(t, ValgrindName, r.Backend)
		assert.Equal(t, EventInstructions, r.Primary().Event)
		return r.Primary().Value
	}
	// Whole-process counts vary by some 10k instructions (the runtime's
	// sysmon thread wakes up on wall-clock time): compare large counts.
	a, b := run("5000000"), run("5000000")
	assert.InDelta(t, 0, (a-b)/a, 0.005, "two identical runs: %.0f vs %.0f", a, b)
	c := run("10000000")
	// The loop body is a handful of instructions per round.
	perRound := (c - a) / 5e6
	assert.Greater(t, perRound, 3.0)
	assert.Less(t, perRound, 12.0)
	assert.Contains(t, v.Describe(), "valgrind-")
}

func TestValgrindWindow(t *testing.T) {
	v := requireValgrind(t)
	if !WindowsSupported() {
		t.Skip("measurement windows are amd64-only")
	}
	bin := buildWindow(t)
	v.Windowed = true
	count := func(outside, inside string) float64 {
		var out strings.Builder
		r, err := v.Run(context.Background(), Command{Path: bin, Args: []string{outside, inside}, Stdout: &out})
		require.NoError(t, err)
		assert.Equal(t, "true true\n", out.String(), "the child sees valgrind")
		assert.Empty(t, r.Notes)
		return r.Primary().Value
	}
	small := count("1000000", "1000000")
	big := count("5000000", "1000000")
	// Work outside the window is not counted.
	assert.InDelta(t, 0, (big-small)/small, 0.01, "%.0f vs %.0f", small, big)
	whole := (&Valgrind{})
	require.NoError(t, whole.Probe(context.Background()))
	r, err := whole.Run(context.Background(), Command{Path: bin, Args: []string{"5000000", "1000000"}, Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Greater(t, r.Primary().Value, 4*big)
}

func TestValgrindFailureShowsLog(t *testing.T) {
	v := requireValgrind(t)
	_, err := v.Run(context.Background(), Command{Path: "/nonexistent/program"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/nonexistent/program")
}

func TestReadValgrindTotal(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	n, err := ReadValgrindTotal(write("cg", "desc: I1 cache: 32768 B\ncmd: ./x\nevents: Ir\nfl=a.go\nfn=main.f\n3 10\nsummary: 12345\n"))
	require.NoError(t, err)
	assert.Equal(t, uint64(12345), n)
	// callgrind with ZERO_STATS: summary wraps around, totals is right.
	n, err = ReadValgrindTotal(write("cl", "events: Ir\nsummary: 18446744073709551603\nfn=(1) f\n1 5\ntotals: 6006639\n"))
	require.NoError(t, err)
	assert.Equal(t, uint64(6006639), n)
	n, err = ReadValgrindTotal(write("multi", "events: Dr Ir Dw\nsummary: 1 2 3\n"))
	require.NoError(t, err)
	assert.Equal(t, uint64(2), n)
	_, err = ReadValgrindTotal(write("bad", "events: Dr\nsummary: 1\n"))
	assert.ErrorContains(t, err, "no Ir event")
	_, err = ReadValgrindTotal(write("none", "events: Ir\n"))
	assert.ErrorContains(t, err, "no summary")
}

func TestEnvHelpers(t *testing.T) {
	env := MergeEnv([]string{"A=1", "GOGC=100", "B=2"}, "GOGC=off", "C=3")
	assert.Equal(t, []string{"A=1", "B=2", "GOGC=off", "C=3"}, env)
	env = AddGODEBUG([]string{"GODEBUG=http2client=0", "X=1"}, "asyncpreemptoff=1")
	assert.Equal(t, []string{"X=1", "GODEBUG=http2client=0,asyncpreemptoff=1"}, env)
	env = AddGODEBUG(nil, "a=1", "b=2")
	assert.Equal(t, []string{"GODEBUG=a=1,b=2"}, env)
}
