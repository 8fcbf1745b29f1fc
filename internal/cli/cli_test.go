package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/command"
)

func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: "."}
	code := Run(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

func TestExplain(t *testing.T) {
	for _, c := range registry.Checks() {
		code, out, _ := run("explain", c.Name)
		assert.Equal(t, command.ExitOK, code)
		assert.True(t, strings.HasPrefix(out, c.Name+" ("+c.ID+"): "), out)
		assert.Contains(t, out, "Before:")
		assert.Contains(t, out, "//upshift:ignore "+c.Name+" <reason>")
	}
	code, _, stderr := run("explain", "nosuch")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, `unknown analyzer "nosuch"`)
}

func TestDispatch(t *testing.T) {
	code, _, stderr := run()
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "usage: upshift")
	code, _, stderr = run("frobnicate")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, `unknown command "frobnicate"`)
	code, out, _ := run("version")
	assert.Equal(t, command.ExitOK, code)
	assert.Equal(t, "upshift "+command.Version+"\n", out)
	code, _, stderr = run("-C", "/no/such/dir", "version")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, stderr, "not a directory")
}
