package compatcmd

import (
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
