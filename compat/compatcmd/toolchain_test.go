package compatcmd

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var durations = regexp.MustCompile(`\(\d+\.\d+s\)`)

const oldToolchain, newToolchain = "go1.22.12", "go1.26.8"

// toolchainJSON runs the toolchain subcommand and skips the test when a
// toolchain cannot be downloaded here.
func toolchainJSON(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("downloads and runs two Go toolchains")
	}
	code, out, errs := run(t, dir, append([]string{"toolchain", "-old", oldToolchain, "-new", newToolchain, "-format", "json"}, args...)...)
	if code == 2 && strings.Contains(errs, "toolchain unavailable") {
		t.Skipf("cannot get the toolchains through the module proxy here: %s", errs)
	}
	require.NotEqual(t, 2, code, "stderr: %s", errs)
	return code, out
}

// A test that depends on a GODEBUG default (asynctimerchan, go1.23) passes
// under go1.22.12 and fails under go1.26.8 with the go line raised; a
// package using strings.Lines (go1.24) builds only under the new one.
func TestToolchainReal(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "toolchain/timers.txtar"))
	code, out := toolchainJSON(t, dir)
	assert.Equal(t, 1, code)
	r := decode(t, out)
	assert.Equal(t, "incompatible", r.Verdict)

	reg := findRule(r, "TC001")
	require.Len(t, reg, 1, "%+v", r.Findings)
	assert.Equal(t, "example.com/tiny/timer.TestTimerChanBuffered", reg[0].Symbol)
	assert.Equal(t, "timer/timer_test.go", reg[0].Head.File)
	assert.Equal(t, 9, reg[0].Head.Line)
	require.NotEmpty(t, reg[0].Details)
	assert.Contains(t, reg[0].Details[0], "cap(timer.C) = 0, want 1")

	built := findRule(r, "TC004")
	require.Len(t, built, 1)
	assert.Equal(t, "example.com/tiny/lines", built[0].Symbol)
	assert.Contains(t, built[0].Details[0], "undefined: strings.Lines")
	assert.Equal(t, "lines/lines_test.go", built[0].Base.File)

	var timerDebug bool
	for _, f := range findRule(r, "TC010") {
		if f.Symbol == "godebug asynctimerchan" {
			timerDebug = true
			assert.Contains(t, f.Advice, "godebug asynctimerchan=1")
		}
	}
	assert.True(t, timerDebug, "asynctimerchan listed: %+v", r.Findings)
	for _, n := range r.Notes {
		assert.NotContains(t, n, "not in", "table and go list disagree")
	}

	code, text, _ := run(t, dir, "toolchain", "-old", oldToolchain, "-new", newToolchain)
	assert.Equal(t, 1, code)
	checkGolden(t, "toolchain/timers.text", durations.ReplaceAllString(text, "(X.XXs)"))

	// Keeping the go line keeps the old GODEBUG defaults and language
	// version: the timer test passes on both sides, and range-over-func
	// (go1.23 language) fails to build on both.
	code, out = toolchainJSON(t, dir, "-keep-go-line")
	assert.Equal(t, 0, code)
	r = decode(t, out)
	assert.Empty(t, findRule(r, "TC001"))
	assert.Empty(t, findRule(r, "TC004"))
	assert.Empty(t, findRule(r, "TC010"), "same go line on both sides")
}

func TestToolchainBadInput(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "toolchain/timers.txtar"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"toolchain"}, "-old and -new are required"},
		{[]string{"toolchain", "-old", "1.22", "-new", "go1.26.8"}, `toolchain "1.22": want a name like go1.22.12`},
		{[]string{"toolchain", "-old", "go1.22.12", "-new", "go1.26.8", "-base", "nope"}, `version "nope"`},
	} {
		code, _, errs := run(t, dir, tc.args...)
		assert.Equal(t, 2, code)
		assert.Contains(t, errs, tc.want)
	}
}

// A head that does not build is an error (exit 2, "does not build", with
// file:line), as in compat api and wire, not a toolchain regression; a
// revision without go.mod is named, not a scratch path.
func TestToolchainHeadDoesNotBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads and runs two Go toolchains")
	}
	dir := makeRepo(t, loadArchive(t, "toolchain/broken.txtar"))
	code, out, errs := run(t, dir, "toolchain", "-old", oldToolchain, "-new", newToolchain, "-base", "v1", "-head", "v2")
	if code == 2 && strings.Contains(errs, "toolchain unavailable") {
		t.Skipf("cannot get the toolchains here: %s", errs)
	}
	assert.Equal(t, 2, code, "stdout: %s", out)
	assert.Contains(t, errs, `head "v2" does not build (under go1.22.12 nor go1.26.8)`)
	assert.Contains(t, errs, "calc/calc.go:4:41: undefined: missing")
	assert.NotContains(t, out, "TC002")

	code, _, errs = run(t, dir, "toolchain", "-old", oldToolchain, "-new", newToolchain, "-base", "v0", "-head", "v1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `base "v0": no go.mod (not a Go module)`)
	assert.NotContains(t, errs, os.TempDir())
}
