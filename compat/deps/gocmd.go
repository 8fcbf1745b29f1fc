package deps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// goCmd runs the go command in dir with extra environment and returns its
// standard output; a failure carries the command's stderr.
func goCmd(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	// A go.work above the directory must not change what is resolved.
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// ModuleFile is the go.mod of the main module of a directory.
type ModuleFile struct {
	// Path is the go.mod's absolute path; Root its directory.
	Path, Root string
	// File is the parsed go.mod.
	File *modfile.File
}

// FindModule locates and parses the go.mod governing dir.
func FindModule(ctx context.Context, dir string) (*ModuleFile, error) {
	out, err := goCmd(ctx, dir, nil, "env", "GOMOD")
	if err != nil {
		return nil, err
	}
	path := strings.TrimSpace(string(out))
	if path == "" || path == os.DevNull {
		return nil, fmt.Errorf("%s is not inside a Go module (no go.mod)", dir)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, err
	}
	return &ModuleFile{Path: path, Root: filepath.Dir(path), File: f}, nil
}

// Require returns the required version of module path, or "".
func (m *ModuleFile) Require(path string) string {
	for _, r := range m.File.Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	return ""
}

// ResolveVersion asks the go command (and through it the module proxy, or
// the module cache when the version is exact) which version query names.
func ResolveVersion(ctx context.Context, path, query string) (string, error) {
	tmp, err := os.MkdirTemp("", "upshift-resolve-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	out, err := goCmd(ctx, tmp, nil, "mod", "download", "-json", path+"@"+query)
	if err != nil {
		return "", fmt.Errorf("resolving %s@%s: %w", path, query, err)
	}
	var info struct {
		Version string
		Error   string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("resolving %s@%s: %w", path, query, err)
	}
	if info.Error != "" {
		return "", fmt.Errorf("resolving %s@%s: %s", path, query, info.Error)
	}
	return info.Version, nil
}
