// Package command holds what every upshift subcommand shares: injected I/O
// and the exit codes.
package command

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Exit codes used by every subcommand.
const (
	// ExitOK means clean: no findings, compatible, target met.
	ExitOK = 0
	// ExitFindings means the command worked and found something: findings,
	// a pending diff, an incompatibility, a regression, a missed target.
	ExitFindings = 1
	// ExitError means the command could not do its job: bad flags, input
	// that does not load or build.
	ExitError = 2
)

// Env is the injected I/O of a subcommand, so that main stays thin and
// commands run in-process in tests.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Dir is the absolute working directory.
	Dir string
	// Progress is true when stderr is a terminal: long work may show
	// progress there. It is false in CI logs and tests.
	Progress bool
}

// Errorf prints "upshift <cmd>: <message>" on Stderr and returns ExitError.
func (e Env) Errorf(cmd, format string, args ...any) int {
	fmt.Fprintf(e.Stderr, "upshift %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return ExitError
}

// Version is upshift's version, reported by `upshift version` and in SARIF.
const Version = "v0.1.0"

// RepoRoot returns the root of the git work tree containing dir, the base
// of the relative paths in SARIF and in diffs for `git apply`; dir itself
// when dir is not in a git work tree.
func RepoRoot(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return dir
	}
	return strings.TrimSpace(string(out))
}
