package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/revision"
)

// side is one of the two versions being compared.
type side struct {
	label   string // "base" or "head"
	spec    string // what the user gave: a revision or a directory
	root    string // the module directory of this version
	cleanup func()
	// binaries holds the test binary of each package with tests, by
	// import path, in the order go list printed them.
	binaries []*testBinary
}

// testBinary is a package's test binary, built with go test -c.
type testBinary struct {
	importPath string
	dir        string // the package's source directory: tests run there
	path       string
}

func (s *side) binary(importPath string) *testBinary {
	for _, b := range s.binaries {
		if b.importPath == importPath {
			return b
		}
	}
	return nil
}

// materialize makes the side's source tree available without touching
// the user's checkout (a revision is exported into a temporary directory).
func (s *side) materialize(ctx context.Context, dir string) error {
	root, cleanup, err := revision.Materialize(ctx, dir, s.spec)
	if err != nil {
		return fmt.Errorf("%s: %w", s.label, err)
	}
	s.root, s.cleanup = root, cleanup
	// The go command would say "directory prefix . does not contain main
	// module"; a revision's scratch path would mean nothing either.
	if err := command.CheckModule(root); err != nil {
		cleanup()
		s.cleanup = nil
		return fmt.Errorf("%s (%s): no go.mod (not a Go module)", s.label, s.spec)
	}
	return nil
}

// build builds a test binary for every package matching patterns that
// has test files, into binDir.
func (s *side) build(ctx context.Context, patterns []string, binDir string) error {
	args := append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{if or .TestGoFiles .XTestGoFiles}}tests{{end}}\t{{if .Error}}{{.Error}}{{end}}", "--"}, patterns...)
	out, err := goCommand(ctx, s.root, args...)
	if err != nil {
		return fmt.Errorf("%s (%s): go list %s: %w", s.label, s.spec, strings.Join(patterns, " "), err)
	}
	for _, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			return fmt.Errorf("%s (%s): unexpected go list output %q", s.label, s.spec, line)
		}
		if f[3] != "" {
			return fmt.Errorf("%s (%s): package %s: %s", s.label, s.spec, f[0], f[3])
		}
		if f[2] == "" {
			continue
		}
		bin := filepath.Join(binDir, fmt.Sprintf("%s-%d.test", s.label, len(s.binaries)))
		if _, err := goCommand(ctx, s.root, "test", "-c", "-o", bin, "--", f[0]); err != nil {
			return fmt.Errorf("%s (%s): building tests of %s: %w", s.label, s.spec, f[0], err)
		}
		s.binaries = append(s.binaries, &testBinary{importPath: f[0], dir: f[1], path: bin})
	}
	return nil
}

// goCommand runs the go command in dir and returns its standard output;
// on failure the error carries the command's output.
func goCommand(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String() + stdout.String())
		return "", fmt.Errorf("%w\n%s", err, msg)
	}
	return stdout.String(), nil
}
