package movefix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/upshift-dev/upshift/compat/deps"
)

// GoModChanges computes the module's go.mod and go.sum after the move, as
// the go command would leave them: the module's Go files, with the
// changed contents applied, are copied into a scratch directory with
// go.mod and go.sum, where `go get NEW@VERSION` (module targets) and `go
// mod tidy` run. Nothing in root is written. It returns the new contents
// of the files that differ, by absolute path.
func GoModChanges(ctx context.Context, root string, changed map[string][]byte, tgt *deps.Target) (map[string][]byte, error) {
	tmp, err := os.MkdirTemp("", "upshift-gomod-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module is not ours
				}
			}
			return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
		}
		if !strings.HasSuffix(path, ".go") && !(path == filepath.Join(root, "go.mod") || path == filepath.Join(root, "go.sum")) {
			return nil
		}
		data, ok := changed[path]
		if !ok {
			if data, err = os.ReadFile(path); err != nil {
				return err
			}
		}
		return os.WriteFile(filepath.Join(tmp, rel), data, 0o644)
	})
	if err != nil {
		return nil, fmt.Errorf("copying the module for go mod tidy: %w", err)
	}
	env := []string{"GOWORK=off", "GOFLAGS=-mod=mod"}
	if tgt.NewVersion != "" {
		if err := run(ctx, tmp, env, "get", tgt.NewPath+"@"+tgt.NewVersion); err != nil {
			return nil, err
		}
	}
	if err := run(ctx, tmp, env, "mod", "tidy"); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range []string{"go.mod", "go.sum"} {
		before, err := os.ReadFile(filepath.Join(root, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		after, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !bytes.Equal(before, after) {
			out[filepath.Join(root, name)] = after
		}
	}
	return out, nil
}

func run(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s (on a copy of the module): %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
