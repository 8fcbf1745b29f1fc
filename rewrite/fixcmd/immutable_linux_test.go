package fixcmd

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/engine"
)

// immutable marks path immutable (chattr +i) for the rest of the test, or
// skips the test where that is not possible (no chattr, no privilege, a
// file system without inode flags).
func immutable(t *testing.T, path string) {
	t.Helper()
	if err := exec.Command("chattr", "+i", path).Run(); err != nil {
		t.Skipf("cannot make a file immutable here: %v", err)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

func snapshot(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

// An immutable target (the temporary file can be created, the rename
// fails) is found before anything is written: exit 2, every file as it
// was, no temporary file left.
func TestImmutableTargetWritesNothing(t *testing.T) {
	dir, _ := setup(t, "multifile.txtar")
	immutable(t, filepath.Join(dir, "b.go"))
	before := snapshot(t, dir)
	code, _, stderr := runFix(dir, "-w", "./...")
	assert.Equal(t, command.ExitError, code, stderr)
	assert.Contains(t, stderr, "b.go: file is immutable")
	assert.Contains(t, stderr, "nothing was written")
	assert.Equal(t, before, snapshot(t, dir))
}

// withoutChecks hides the up-front checks, so that the immutable file is
// met only when its rename fails: the files renamed before it are restored.
type withoutChecks struct{ atomicfile.OS }

func (withoutChecks) Replaceable(string, fs.FileInfo) error { return nil }

func TestImmutableTargetFoundLateIsRestored(t *testing.T) {
	dir, _ := setup(t, "multifile.txtar")
	res, err := engine.Run(context.Background(), engine.Options{Dir: dir, Analyzers: testAnalyzers, Tier: tier.Safe})
	require.NoError(t, err)
	// sub/c.go sorts last, so a.go and b.go are replaced before its rename fails.
	immutable(t, filepath.Join(dir, "sub", "c.go"))
	before := snapshot(t, dir)
	files := slices.Sorted(maps.Keys(res.Changed))
	err = writeAll(withoutChecks{}, res, files)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the 2 file(s) already replaced were restored")
	assert.Equal(t, before, snapshot(t, dir))
}
