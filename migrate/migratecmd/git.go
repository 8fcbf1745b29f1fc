package migratecmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// repo runs git in one directory.
type repo struct{ dir string }

// git runs git with args and returns its trimmed standard output; a
// failure carries git's standard error.
func (r repo) git(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = r.dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// dirty returns git status --porcelain: empty for a clean work tree.
// Untracked files count: the migration's worktree would not have them,
// so its baseline would not be the user's.
func (r repo) dirty(ctx context.Context) (string, error) {
	return r.git(ctx, "status", "--porcelain")
}

// branchExists reports whether refs/heads/name exists.
func (r repo) branchExists(ctx context.Context, name string) bool {
	_, err := r.git(ctx, "rev-parse", "--verify", "--quiet", "refs/heads/"+name)
	return err == nil
}

// checkedOutIn returns the work tree that has branch name checked out, or
// "" when none does.
func (r repo) checkedOutIn(ctx context.Context, name string) string {
	out, err := r.git(ctx, "worktree", "list", "--porcelain")
	if err != nil {
		return ""
	}
	var wt string
	for _, l := range strings.Split(out, "\n") {
		if p, ok := strings.CutPrefix(l, "worktree "); ok {
			wt = p
		}
		if l == "branch refs/heads/"+name {
			return wt
		}
	}
	return ""
}

// identity returns -c flags giving commits an author when the user has
// configured none (a fresh CI machine): the migration must not fail on it.
func (r repo) identity(ctx context.Context) []string {
	var out []string
	if v, _ := r.git(ctx, "config", "user.name"); v == "" && os.Getenv("GIT_AUTHOR_NAME") == "" {
		out = append(out, "-c", "user.name=upshift migrate")
	}
	if v, _ := r.git(ctx, "config", "user.email"); v == "" && os.Getenv("GIT_AUTHOR_EMAIL") == "" {
		out = append(out, "-c", "user.email=upshift@localhost")
	}
	return out
}

// commit records every change of the work tree (or none) with message.
func (r repo) commit(ctx context.Context, message string) (string, error) {
	if _, err := r.git(ctx, "add", "-A"); err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "upshift-msg-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(message); err != nil {
		f.Close()
		return "", err
	}
	f.Close()
	args := append(r.identity(ctx), "commit", "-q", "--allow-empty", "--no-verify", "-F", f.Name())
	if _, err := r.git(ctx, args...); err != nil {
		return "", err
	}
	return r.git(ctx, "rev-parse", "HEAD")
}

// reset puts the work tree back at HEAD: bisection tries subsets of a
// stage's changes from the stage's start.
func (r repo) reset(ctx context.Context) error {
	if _, err := r.git(ctx, "reset", "-q", "--hard", "HEAD"); err != nil {
		return err
	}
	_, err := r.git(ctx, "clean", "-q", "-fd")
	return err
}
