package toolchain

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite README.md's rules section")

func readRun(t *testing.T, name string) *Result {
	t.Helper()
	stdout, err := os.ReadFile("testdata/" + name + ".json")
	require.NoError(t, err)
	stderr, err := os.ReadFile("testdata/" + name + ".stderr")
	require.NoError(t, err)
	return parseTestJSON(stdout, stderr)
}

// Before go1.24 build errors are on stderr; the JSON stream only says
// "[build failed]".
func TestParseGo122(t *testing.T) {
	r := readRun(t, "go1.22")
	assert.Equal(t, Pass, r.Packages["example.com/m/a"])
	assert.Equal(t, BuildFail, r.Packages["example.com/m/b"])
	assert.Equal(t, Pass, r.Tests[testKey("example.com/m/a", "TestTimerCap")])
	assert.Contains(t, r.Output["example.com/m/b"].String(), "b/b_test.go:10:20: undefined: strings.Lines")
}

// From go1.24 build errors are build-output events in the stream.
func TestParseGo126(t *testing.T) {
	r := readRun(t, "go1.26")
	assert.Equal(t, Fail, r.Packages["example.com/m/a"])
	assert.Equal(t, Fail, r.Tests[testKey("example.com/m/a", "TestTimerCap")])
	assert.Contains(t, r.Output[testKey("example.com/m/a", "TestTimerCap")].String(), "cap(timer.C) = 0, want 1")
	assert.Equal(t, Pass, r.Packages["example.com/m/b"])
	assert.Equal(t, BuildFail, r.Packages["example.com/m/c"])
	assert.Contains(t, r.Output["example.com/m/c"].String(), "c/c_test.go:5:28: undefined: undefinedThing")
}

func TestFirstErrorPos(t *testing.T) {
	p := firstErrorPos("# x\nc/c_test.go:5:28: undefined: y\n", "c")
	require.NotNil(t, p)
	assert.Equal(t, "c/c_test.go:5:28", p.String())
	p = firstErrorPos("./x_test.go:3:1: oops\n", "pkg/sub")
	assert.Equal(t, "pkg/sub/x_test.go:3:1", p.String())
	assert.Nil(t, firstErrorPos("no positions", "."))
}

func TestGoLineFor(t *testing.T) {
	assert.Equal(t, "1.22.12", goLineFor("1.22.12"))
	assert.Equal(t, "1.20", goLineFor("1.20.14"))
}
