package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.go")
	require.NoError(t, os.WriteFile(p, []byte("old"), 0o640))
	require.NoError(t, Write(p, []byte("new")))
	st, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	got, _ := os.ReadFile(p)
	assert.Equal(t, "new", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temp file left behind")
}

func TestWriteMissing(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "nope.go"), []byte("x"))
	assert.Error(t, err)
}

// faulty performs the real operations, except that the fail-th call (of
// any operation, counted from 1) fails.
type faulty struct {
	OS
	calls, fail int
	failed      string
}

func (f *faulty) hit(op string) error {
	f.calls++
	if f.calls == f.fail {
		f.failed = op
		return fmt.Errorf("injected failure of %s (call %d)", op, f.calls)
	}
	return nil
}

func (f *faulty) Stat(p string) (fs.FileInfo, error) {
	if err := f.hit("stat"); err != nil {
		return nil, err
	}
	return f.OS.Stat(p)
}

func (f *faulty) ReadFile(p string) ([]byte, error) {
	if err := f.hit("read"); err != nil {
		return nil, err
	}
	return f.OS.ReadFile(p)
}

func (f *faulty) Replaceable(p string, info fs.FileInfo) error {
	if err := f.hit("check"); err != nil {
		return err
	}
	return f.OS.Replaceable(p, info)
}

func (f *faulty) WriteTemp(dir, pattern string, data []byte, perm fs.FileMode) (string, error) {
	if err := f.hit("write"); err != nil {
		return "", err
	}
	return f.OS.WriteTemp(dir, pattern, data, perm)
}

func (f *faulty) Rename(from, to string) error {
	if err := f.hit("rename"); err != nil {
		return err
	}
	return f.OS.Rename(from, to)
}

func (f *faulty) Remove(p string) error {
	if err := f.hit("remove"); err != nil {
		return err
	}
	return f.OS.Remove(p)
}

// TestWriteAllUnderFaults is the all-or-nothing property: whichever single
// operation of a batch write fails, every file ends up old (and the error
// says so) or every file new (and there is no error); no temporary file is
// left behind unless removing it was the failure.
func TestWriteAllUnderFaults(t *testing.T) {
	for _, n := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("files=%d", n), func(t *testing.T) {
			for fail := 1; ; fail++ {
				dir := t.TempDir()
				require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
				files := map[string][]byte{}
				for i := range n {
					p := filepath.Join(dir, fmt.Sprintf("f%d.go", i))
					if i%2 == 1 {
						p = filepath.Join(dir, "sub", fmt.Sprintf("f%d.go", i))
					}
					require.NoError(t, os.WriteFile(p, []byte(fmt.Sprintf("old %d\n", i)), 0o640))
					files[p] = []byte(fmt.Sprintf("new %d\n", i))
				}
				ops := &faulty{fail: fail}
				err := WriteAllWith(ops, files)
				state := map[string]int{}
				for p, want := range files {
					got, rerr := os.ReadFile(p)
					require.NoError(t, rerr)
					switch {
					case string(got) == string(want):
						state["new"]++
					case strings.HasPrefix(string(got), "old "):
						state["old"]++
					default:
						t.Fatalf("fail=%d (%s): %s holds %q", fail, ops.failed, p, got)
					}
					st, _ := os.Stat(p)
					assert.Equal(t, fs.FileMode(0o640), st.Mode().Perm())
				}
				if err != nil {
					assert.Equal(t, n, state["old"], "fail=%d (%s): error %v but files changed: %v", fail, ops.failed, err, state)
					assert.Regexp(t, `nothing was (written|changed)`, err.Error())
				} else {
					assert.Equal(t, n, state["new"], "fail=%d (%s): no error but files old: %v", fail, ops.failed, state)
				}
				if ops.failed != "remove" {
					for _, d := range []string{dir, filepath.Join(dir, "sub")} {
						entries, _ := os.ReadDir(d)
						for _, e := range entries {
							assert.False(t, strings.Contains(e.Name(), ".upshift-"), "fail=%d (%s): temp file %s left", fail, ops.failed, e.Name())
						}
					}
				}
				if ops.failed == "" {
					// Past the last operation: every position was tried.
					require.NoError(t, err)
					t.Logf("%d files: tried failures at each of %d operations", n, ops.calls)
					break
				}
			}
		})
	}
}

// A rename that fails after others succeeded is undone: the files already
// replaced get their old content back.
func TestWriteAllRestoresAfterLateRenameFailure(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for _, name := range []string{"a.go", "b.go", "c.go"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("old"), 0o644))
		files[p] = []byte("new")
	}
	ops := &renameFails{target: filepath.Join(dir, "c.go")}
	err := WriteAllWith(ops, files)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the 2 file(s) already replaced were restored")
	for p := range files {
		got, _ := os.ReadFile(p)
		assert.Equal(t, "old", string(got), p)
	}
}

type renameFails struct {
	OS
	target string
}

func (r *renameFails) Rename(from, to string) error {
	if to == r.target {
		return errors.New("operation not permitted")
	}
	return r.OS.Rename(from, to)
}
