package compatcmd

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/internal/command"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// makeRepo builds a git repository from a txtar archive whose files are
// named "<rev>/<path>": each revision is committed and tagged in order of
// first appearance, as an overlay on the previous one (a file whose
// content is "DELETE" is removed). Files without a revision prefix "*/"
// go into every commit. It returns the repository directory.
func makeRepo(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "config", "user.email", "test@example.com")
	git(t, dir, "config", "user.name", "test")
	var revs []string
	for _, f := range ar.Files {
		rev, _, ok := strings.Cut(f.Name, "/")
		require.True(t, ok, "file %s: want <rev>/<path>", f.Name)
		if !slices.Contains(revs, rev) {
			revs = append(revs, rev)
		}
	}
	for _, rev := range revs {
		for _, f := range ar.Files {
			r, path, _ := strings.Cut(f.Name, "/")
			if r != rev {
				continue
			}
			full := filepath.Join(dir, filepath.FromSlash(path))
			if strings.TrimSpace(string(f.Data)) == "DELETE" {
				require.NoError(t, os.Remove(full))
				continue
			}
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, f.Data, 0o644))
		}
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", rev)
		git(t, dir, "tag", rev)
	}
	return dir
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

// run runs `upshift compat args...` in-process in dir.
func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := command.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir}
	code = Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

var tempPath = regexp.MustCompile(`/tmp/[^\s"']*`)

// checkGolden compares got with testdata/<name>.golden, or rewrites it
// under -update. Temp paths are masked so goldens are stable.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	got = tempPath.ReplaceAllString(got, "$$TMP")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	require.Equal(t, string(want), got, "output differs from %s (go test -update rewrites it)", path)
}

func loadArchive(t *testing.T, name string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return ar
}
