// Package compatcmd is the `upshift compat` command: what breaks between two
// versions of a Go module before it ships. Subcommands:
//
//	api        Go API compatibility and a semver verdict (package api)
//	wire       compatibility of JSON and gob data between versions (package wire)
//	toolchain  test outcomes under two Go toolchains and GODEBUG changes (package toolchain)
//	deps       call sites affected by moving a dependency (package deps)
//
// Versions are git revisions of the repository containing the working
// directory or directories; revisions are exported into temp dirs, never
// checked out in place. Exit codes: 0 compatible, 1 incompatible, 2 error.
package compatcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/upshift-dev/upshift/compat/api"
	"github.com/upshift-dev/upshift/compat/report"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/revision"
)

const usage = `usage: upshift compat <subcommand> [flags]

Tells what breaks between two versions of a Go module before it ships.
Versions (-base, -head) are git revisions of the current repository or
directories. Exit status: 0 compatible, 1 incompatible, 2 error.

subcommands:
  api        Go API compatibility (apidiff), go.mod diff, semver verdict
  wire       JSON and gob compatibility of serialized types
  toolchain  test outcomes under two Go toolchains, GODEBUG changes
  deps       call sites affected by moving a dependency (-module OLD -to NEW)

Run "upshift compat <subcommand> -h" for flags and examples.
`

// Main runs `upshift compat` with args (the words after "compat").
func Main(ctx context.Context, env command.Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return command.ExitError
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(env.Stdout, usage)
		return command.ExitOK
	case "api":
		return runAPI(ctx, env, args[1:])
	case "wire":
		return runWire(ctx, env, args[1:])
	case "toolchain":
		return runToolchain(ctx, env, args[1:])
	case "deps":
		return runDeps(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "upshift compat: unknown subcommand %q\n\n%s", args[0], usage)
	return command.ExitError
}

// common holds the flags every subcommand shares.
type common struct {
	base, head string
	format     string
	suppress   string
}

func (c *common) register(fs *flag.FlagSet, headDefault string) {
	fs.StringVar(&c.base, "base", "", "old version: git revision or directory")
	fs.StringVar(&c.head, "head", headDefault, "new version: git revision or directory")
	fs.StringVar(&c.format, "format", "text", "output format: text, json or sarif")
	fs.StringVar(&c.suppress, "suppress", "", "suppression `FILE`: one line per finding, \"RULEID symbol reason\" (a reason is required)")
}

// parse parses args into fs and reports whether to go on; code is the exit
// code to return otherwise (0 after -h, 2 after bad flags).
func parse(env command.Env, fs *flag.FlagSet, args []string) (code int, ok bool) {
	fs.SetOutput(env.Stderr)
	// Flags may follow the packages (`compat toolchain ... ./... -keep-go-line`).
	rest, err := command.ParseInterspersed(fs, args)
	if err == nil {
		// Leave the other arguments in fs.Args() for the subcommand.
		err = fs.Parse(append([]string{"--"}, rest...))
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK, false
		}
		return command.ExitError, false
	}
	return 0, true
}

func newFlagSet(env command.Env, name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet("upshift compat "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), help)
		fs.PrintDefaults()
	}
	return fs
}

// side is one version given on the command line, made available as a
// directory.
type side struct {
	spec    string
	label   string
	root    string
	cleanup func()
}

// materialize exports both sides without touching the user's checkout.
func materialize(ctx context.Context, env command.Env, c *common) (base, head side, cleanup func(), err error) {
	base = side{spec: c.base, label: fmt.Sprintf("base %q", c.base)}
	head = side{spec: c.head, label: fmt.Sprintf("head %q", c.head)}
	cleanup = func() {}
	base.root, base.cleanup, err = revision.Materialize(ctx, env.Dir, c.base)
	if err != nil {
		return base, head, cleanup, fmt.Errorf("base: %w", err)
	}
	head.root, head.cleanup, err = revision.Materialize(ctx, env.Dir, c.head)
	if err != nil {
		base.cleanup()
		return base, head, cleanup, fmt.Errorf("head: %w", err)
	}
	return base, head, func() { base.cleanup(); head.cleanup() }, nil
}

// loadBoth type-checks both sides concurrently.
func loadBoth(ctx context.Context, base, head side) (*api.Module, *api.Module, error) {
	var wg sync.WaitGroup
	var bm, hm *api.Module
	var berr, herr error
	wg.Add(2)
	go func() { defer wg.Done(); bm, berr = api.Load(ctx, base.root, base.label) }()
	go func() { defer wg.Done(); hm, herr = api.Load(ctx, head.root, head.label) }()
	wg.Wait()
	if err := errors.Join(berr, herr); err != nil {
		return nil, nil, err
	}
	return bm, hm, nil
}

// inputs is what api and wire share once flags are parsed: the output
// format, the suppressions, and both versions loaded.
type inputs struct {
	format     report.Format
	sups       []*report.Suppression
	base, head *api.Module
	cleanup    func()
}

// prepare checks the common flags and loads both versions. On failure it
// has printed the error and returns the exit code with ok false.
func prepare(ctx context.Context, env command.Env, cmd string, fs *flag.FlagSet, c *common) (in inputs, code int, ok bool) {
	if fs.NArg() > 0 {
		return in, env.Errorf(cmd, "unexpected arguments %q", fs.Args()), false
	}
	format, err := report.ParseFormat(c.format)
	if err != nil {
		return in, env.Errorf(cmd, "%v", err), false
	}
	if c.base == "" {
		return in, env.Errorf(cmd, "-base is required (a git revision or a directory)"), false
	}
	sups, err := readSuppressions(env, c.suppress)
	if err != nil {
		return in, env.Errorf(cmd, "%v", err), false
	}
	base, head, cleanup, err := materialize(ctx, env, c)
	if err != nil {
		return in, env.Errorf(cmd, "%v", err), false
	}
	bm, hm, err := loadBoth(ctx, base, head)
	if err != nil {
		cleanup()
		return in, env.Errorf(cmd, "%v", err), false
	}
	return inputs{format: format, sups: sups, base: bm, head: hm, cleanup: cleanup}, 0, true
}

func readSuppressions(env command.Env, file string) ([]*report.Suppression, error) {
	if file == "" {
		return nil, nil
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, file)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("suppression file: %w", err)
	}
	defer f.Close()
	return report.ParseSuppressions(f, file)
}

// emit prints the report and returns the exit code it stands for.
func emit(ctx context.Context, env command.Env, format report.Format, r *report.Report) int {
	opts := report.Options{PathPrefix: repoPrefix(ctx, env.Dir)}
	if err := report.Print(env.Stdout, format, r, opts); err != nil {
		return env.Errorf("compat "+r.Command, "%v", err)
	}
	if r.Incompatible() {
		return command.ExitFindings
	}
	return command.ExitOK
}

// repoPrefix is the working directory's path inside its git repository
// ("svc/" for a module in a subdirectory), so that SARIF paths are
// repository-relative as code scanning expects.
func repoPrefix(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--show-prefix")
	cmd.Dir = dir
	cmd.Stderr = io.Discard
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.TrimSpace(string(out)), "/")
}

const apiHelp = `usage: upshift compat api -base REV|DIR [-head REV|DIR] [-format text|json|sarif] [-suppress FILE]

Reports the Go API changes between two versions of the module in the current
directory (golang.org/x/exp/apidiff plus positions, package renames and the
go.mod diff) and the semver bump they need. Exit 1 when the change is major.

Suppression file lines: RULEID symbol  reason   (a reason is required)
  API001 example.com/m.OldFunc  removed in v2, announced in CHANGELOG

examples:
  upshift compat api -base v1.4.0                 # v1.4.0 against the working tree
  upshift compat api -base main -head HEAD -format sarif > api.sarif
  upshift compat api -base ../old -head . -suppress .upshift-api-suppress

flags:
`

func runAPI(ctx context.Context, env command.Env, args []string) int {
	var c common
	fs := newFlagSet(env, "api", apiHelp)
	c.register(fs, ".")
	if code, ok := parse(env, fs, args); !ok {
		return code
	}
	const cmd = "compat api"
	in, code, ok := prepare(ctx, env, cmd, fs, &c)
	if !ok {
		return code
	}
	defer in.cleanup()
	format, sups, bm, hm := in.format, in.sups, in.base, in.head
	r := api.Compare(bm, hm)
	r.Base, r.Head = c.base, c.head
	r.Suppress(sups)
	api.Decide(r)
	r.Sort()
	return emit(ctx, env, format, r)
}
