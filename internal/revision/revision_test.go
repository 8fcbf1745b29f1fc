package revision

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%v: %s", args, out)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestMaterialize(t *testing.T) {
	repo := t.TempDir()
	run(t, repo, "git", "init", "-q")
	write(t, filepath.Join(repo, "svc", "go.mod"), "module svc\n")
	write(t, filepath.Join(repo, "svc", "main.go"), "package main // v1\n")
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-qm", "v1")
	run(t, repo, "git", "tag", "v1")
	write(t, filepath.Join(repo, "svc", "main.go"), "package main // v2\n")
	write(t, filepath.Join(repo, "svc", "untracked.txt"), "keep me\n")
	ctx := context.Background()
	svc := filepath.Join(repo, "svc")

	root, cleanup, err := Materialize(ctx, svc, "v1")
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(root, "main.go"))
	require.NoError(t, err)
	assert.Equal(t, "package main // v1\n", string(got))
	assert.Equal(t, "svc", filepath.Base(root))
	cleanup()
	assert.NoDirExists(t, root)

	// The user's checkout is untouched.
	got, err = os.ReadFile(filepath.Join(svc, "main.go"))
	require.NoError(t, err)
	assert.Equal(t, "package main // v2\n", string(got))
	assert.FileExists(t, filepath.Join(svc, "untracked.txt"))

	// A directory is used in place.
	root, cleanup, err = Materialize(ctx, repo, "svc")
	require.NoError(t, err)
	defer cleanup()
	assert.Equal(t, svc, root)
}

func TestMaterializeErrors(t *testing.T) {
	ctx := context.Background()
	plain := t.TempDir()
	_, _, err := Materialize(ctx, plain, "main")
	assert.ErrorContains(t, err, "not inside a git repository")

	repo := t.TempDir()
	run(t, repo, "git", "init", "-q")
	write(t, filepath.Join(repo, "a.txt"), "a")
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-qm", "a")
	_, _, err = Materialize(ctx, repo, "nosuchrev")
	assert.ErrorContains(t, err, `version "nosuchrev": not a directory and not a revision`)

	sub := filepath.Join(repo, "later")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	_, _, err = Materialize(ctx, sub, "HEAD")
	assert.ErrorContains(t, err, "does not exist at revision")

	_, _, err = Materialize(ctx, repo, "")
	assert.Error(t, err)
}
