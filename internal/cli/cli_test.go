package cli

import (
	"bytes"
	"context"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/command"
)

// TestMain makes the test binary the vet tool that `upshift vet` runs
// through go vet, as the upshift binary is.
func TestMain(m *testing.M) {
	vetcmd.ServeTool(vetcmd.Suite{Checks: registry.Checks()})
	os.Exit(m.Run())
}

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

	// -h is help, not an analyzer name.
	code, out, stderr := run("explain", "-h")
	assert.Equal(t, command.ExitOK, code, stderr)
	assert.Contains(t, out, "usage: upshift explain")
	assert.Contains(t, out, "maporder")
	// The rule IDs of the JSON and SARIF output, in any case.
	for _, id := range []string{"UP1000", "up1003", "Maporder"} {
		code, out, stderr = run("explain", id)
		assert.Equal(t, command.ExitOK, code, "%s: %s", id, stderr)
		assert.NotEmpty(t, out)
	}
	_, out, _ = run("explain", "up1003")
	assert.True(t, strings.HasPrefix(out, "wiredrift (UP1003): "), out)
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
	code, _, stderr = run("-C")
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift -C: -C needs a directory: upshift -C DIR <command> ...\n", stderr)

	// Every perf subcommand is named in the top-level help.
	_, out, _ = run("help")
	perf := out[strings.Index(out, "  perf "):strings.Index(out, "  explain ")]
	for _, sub := range []string{"bench", "profile", "capacity"} {
		assert.Contains(t, perf, sub)
	}
}

// After a neutral bump across go1.22, the loops whose meaning would change
// are still reported by vet (their file is kept at go1.21), and the code a
// pinned GODEBUG setting affects is reported as pinned: nothing the user
// still has to change disappears.
func TestBumpKeepsFindingsVisible(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(dir+"/go.mod", []byte("module example.com/b\n\ngo 1.20\n"), 0o644))
	require.NoError(t, os.WriteFile(dir+"/main.go", []byte(`package main

import (
	"fmt"
	"time"
)

func main() {
	var ps []*int
	for _, v := range []int{1, 2, 3} {
		ps = append(ps, &v)
	}
	fmt.Println(*ps[0])
	t := time.NewTimer(time.Hour)
	if !t.Stop() {
		<-t.C
	}
}
`), 0o644))
	runIn := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
		code := Run(context.Background(), env, args)
		return code, stdout.String(), stderr.String()
	}
	code, before, _ := runIn("vet", "-only", "loopvar,godebug", "./...")
	require.Equal(t, command.ExitFindings, code)
	require.Contains(t, before, "loop variable v")
	code, _, stderr := runIn("bump", "-w", "1.26")
	require.Equal(t, command.ExitOK, code, stderr)
	code, after, stderr := runIn("vet", "-only", "loopvar,godebug", "./...")
	assert.Equal(t, command.ExitFindings, code, stderr)
	assert.Contains(t, after, "main.go:13:20: the address of loop variable v")
	assert.Contains(t, after, "This file is at go1.21 by its //go:build line")
	assert.Contains(t, after, "main.go:18:3: pinned: ")
}

// Help states each default once, and flag values read as one argument.
func TestHelpTexts(t *testing.T) {
	_, _, stderr := run("vet", "-h")
	i := strings.Index(stderr, "  -godebug.to string")
	require.GreaterOrEqual(t, i, 0, stderr)
	entry := stderr[i:]
	entry = entry[:strings.Index(entry, "\n  -")]
	assert.Equal(t, 1, strings.Count(entry, "default"), entry)

	_, _, stderr = run("compat", "api", "-h")
	assert.Contains(t, stderr, "  -suppress FILE\n")
	assert.NotContains(t, stderr, "-suppress RULEID")
}

// upshift is clean on its own code: `upshift vet ./...` at the repository
// root finds nothing. It loads every package of the module, so it is one
// test, skipped with -short.
func TestSelfVetClean(t *testing.T) {
	if testing.Short() {
		t.Skip("vets the whole repository")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: root}
	code := Run(context.Background(), env, []string{"vet", "./..."})
	assert.Equal(t, command.ExitOK, code, "upshift vet ./... on upshift:\n%s%s", stdout.String(), stderr.String())
}

// Every Go file of the repository, testdata included, is gofmt-formatted
// (`gofmt -l .` prints nothing).
func TestGofmtClean(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	var bad []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if out, err := format.Source(src); err != nil || !bytes.Equal(out, src) {
			rel, _ := filepath.Rel(root, p)
			bad = append(bad, rel)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, bad, "not gofmt-formatted")
}
