package fixcmd

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/engine"
)

// failAt performs the real file operations except the n-th (from 1).
type failAt struct {
	atomicfile.OS
	calls, n int
	failed   string
}

func (f *failAt) hit(op string) error {
	f.calls++
	if f.calls == f.n {
		f.failed = op
		return fmt.Errorf("injected %s failure", op)
	}
	return nil
}

func (f *failAt) Stat(p string) (fs.FileInfo, error) {
	if err := f.hit("stat"); err != nil {
		return nil, err
	}
	return f.OS.Stat(p)
}

func (f *failAt) ReadFile(p string) ([]byte, error) {
	if err := f.hit("read"); err != nil {
		return nil, err
	}
	return f.OS.ReadFile(p)
}

func (f *failAt) Replaceable(p string, info fs.FileInfo) error {
	if err := f.hit("check"); err != nil {
		return err
	}
	return f.OS.Replaceable(p, info)
}

func (f *failAt) WriteTemp(dir, pattern string, data []byte, perm fs.FileMode) (string, error) {
	if err := f.hit("write"); err != nil {
		return "", err
	}
	return f.OS.WriteTemp(dir, pattern, data, perm)
}

func (f *failAt) Rename(from, to string) error {
	if err := f.hit("rename"); err != nil {
		return err
	}
	return f.OS.Rename(from, to)
}

func (f *failAt) Remove(p string) error {
	if err := f.hit("remove"); err != nil {
		return err
	}
	return f.OS.Remove(p)
}

// TestWriteUnderInjectedFailures: fix -w's writer, given the engine's
// result for three files, fails at each of its file operations in turn;
// after every run either every file is old (and writeAll failed) or every
// file is new (and it succeeded).
func TestWriteUnderInjectedFailures(t *testing.T) {
	dir, sec := setup(t, "multifile.txtar")
	res, err := engine.Run(context.Background(), engine.Options{Dir: dir, Analyzers: testAnalyzers, Tier: tier.Safe, Tests: true})
	require.NoError(t, err)
	files := slices.Sorted(maps.Keys(res.Changed))
	require.Len(t, files, 3)
	for n := 1; ; n++ {
		for f, old := range res.Original {
			require.NoError(t, os.WriteFile(f, old, 0o644))
		}
		ops := &failAt{n: n}
		werr := writeAll(ops, res, files)
		news := 0
		for f := range res.Changed {
			got, _ := os.ReadFile(f)
			rel, _ := filepath.Rel(dir, f)
			switch string(got) {
			case string(res.Changed[f]):
				news++
				assert.Equal(t, sec["want/"+filepath.ToSlash(rel)], string(got))
			case string(res.Original[f]):
			default:
				t.Fatalf("failure %d (%s): %s is neither old nor new", n, ops.failed, rel)
			}
		}
		if werr != nil {
			assert.Zero(t, news, "failure %d (%s) returned %v but %d file(s) are new", n, ops.failed, werr, news)
		} else {
			assert.Equal(t, len(files), news, "failure %d (%s): success but not every file new", n, ops.failed)
		}
		if ops.failed == "" {
			t.Logf("tried a failure at each of %d operations", ops.calls)
			break
		}
		if ops.failed != "remove" {
			assert.NotContains(t, strings.Join(listDir(t, dir), " "), ".upshift-", "failure %d (%s) left a temp file", n, ops.failed)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		out = append(out, p)
		return nil
	})
	return out
}
