// Package revision makes the source tree of another version of the user's
// module available without touching the user's checkout.
//
// A version is either a directory or a git revision. Revisions are exported
// with `git archive` into a fresh temporary directory: never `git checkout`
// in place and never `git clean`, which can destroy ignored files.
package revision

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Materialize returns the directory corresponding to dir in the tree named by
// spec. spec is an existing directory (used in place: cleanup does nothing)
// or a git revision of the repository containing dir, exported into a temp
// directory that cleanup removes. When dir is a subdirectory of the
// repository (a module in a monorepo), the returned root is the same
// subdirectory inside the exported tree.
func Materialize(ctx context.Context, dir, spec string) (root string, cleanup func(), err error) {
	noop := func() {}
	if spec == "" {
		return "", noop, errors.New("empty version: give a git revision or a directory")
	}
	candidate := spec
	if !filepath.IsAbs(candidate) {
		candidate = filepath.Join(dir, spec)
	}
	if st, err := os.Stat(candidate); err == nil && st.IsDir() {
		abs, err := filepath.Abs(candidate)
		if err != nil {
			return "", noop, fmt.Errorf("version %q: %w", spec, err)
		}
		return abs, noop, nil
	}

	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", noop, fmt.Errorf("version %q is not a directory, and %s is not inside a git repository to resolve it as a revision", spec, dir)
	}
	top = strings.TrimSpace(top)
	commit, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", spec+"^{commit}")
	if err != nil {
		return "", noop, fmt.Errorf("version %q: not a directory and not a revision of the git repository at %s", spec, top)
	}
	commit = strings.TrimSpace(commit)

	rel, err := relativeTo(top, dir)
	if err != nil {
		return "", noop, err
	}
	tmp, err := os.MkdirTemp("", "upshift-rev-")
	if err != nil {
		return "", noop, fmt.Errorf("version %q: %w", spec, err)
	}
	cleanup = func() { os.RemoveAll(tmp) }

	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", commit)
	cmd.Dir = top
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cleanup()
		return "", noop, fmt.Errorf("version %q: %w", spec, err)
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return "", noop, fmt.Errorf("version %q: git archive: %w", spec, err)
	}
	extractErr := untar(out, tmp)
	if extractErr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	waitErr := cmd.Wait()
	if waitErr != nil || extractErr != nil {
		cleanup()
		if waitErr != nil {
			return "", noop, fmt.Errorf("version %q: git archive %s: %v: %s", spec, commit[:12], waitErr, strings.TrimSpace(stderr.String()))
		}
		return "", noop, fmt.Errorf("version %q: extracting archive: %w", spec, extractErr)
	}
	root = filepath.Join(tmp, rel)
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		cleanup()
		return "", noop, fmt.Errorf("version %q: directory %s does not exist at revision %s", spec, filepath.ToSlash(rel), commit[:12])
	}
	return root, cleanup, nil
}

// relativeTo returns dir relative to the repository top, resolving
// symlinks on both so that /tmp vs /private/tmp style aliases agree.
func relativeTo(top, dir string) (string, error) {
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", top, err)
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	rel, err := filepath.Rel(realTop, realDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the repository %s", dir, top)
	}
	return rel, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// untar extracts a git archive stream into dst. git archive output holds
// only regular files, directories and symlinks; anything escaping dst is
// rejected.
func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(hdr.Name)
		if !filepath.IsLocal(name) {
			if hdr.Typeflag == tar.TypeXGlobalHeader {
				continue
			}
			return fmt.Errorf("archive entry %q escapes the destination", hdr.Name)
		}
		target := filepath.Join(dst, name)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(hdr.Mode)&0o777|0o600)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, tr); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				return err
			}
		}
	}
}
