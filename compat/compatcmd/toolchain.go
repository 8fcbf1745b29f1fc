package compatcmd

import (
	"context"
	"fmt"

	"github.com/upshift-dev/upshift/compat/report"
	"github.com/upshift-dev/upshift/compat/toolchain"
	"github.com/upshift-dev/upshift/internal/command"
)

const toolchainHelp = `usage: upshift compat toolchain -old go1.X.Y -new go1.A.B [-keep-go-line] [-base REV|DIR] [-head REV|DIR] [-format text|json|sarif] [packages]

Runs "go test -json" under two Go toolchains (GOTOOLCHAIN, downloaded through
the module proxy) in scratch copies of the module, and reports the tests and
packages whose outcome differs, with their output, and the GODEBUG defaults
that differ between the two go lines (with the godebug line that keeps the
old value). The old side's go line is lowered if the old toolchain needs it;
the new side's go line is raised to the new version unless -keep-go-line.
Exit 1 when something passes under the old toolchain only.

-base (default ".") is tested under -old, -head (default: same as -base)
under -new.

examples:
  upshift compat toolchain -old go1.22.12 -new go1.26.8
  upshift compat toolchain -old go1.22.12 -new go1.26.8 -keep-go-line ./internal/...
  upshift compat toolchain -old go1.24.0 -new go1.26.8 -base v1.3.0 -head HEAD

flags:
`

func runToolchain(ctx context.Context, env command.Env, args []string) int {
	var c common
	fs := newFlagSet(env, "toolchain", toolchainHelp)
	c.register(fs, "")
	oldTC := fs.String("old", "", "old toolchain, e.g. go1.22.12")
	newTC := fs.String("new", "", "new toolchain, e.g. go1.26.8")
	keep := fs.Bool("keep-go-line", false, "do not raise the new side's go line to the new version")
	if code, ok := parse(env, fs, args); !ok {
		return code
	}
	const cmd = "compat toolchain"
	format, err := report.ParseFormat(c.format)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	if *oldTC == "" || *newTC == "" {
		return env.Errorf(cmd, "-old and -new are required (e.g. -old go1.22.12 -new go1.26.8)")
	}
	if c.base == "" {
		c.base = "."
	}
	if c.head == "" {
		c.head = c.base
	}
	sups, err := readSuppressions(env, c.suppress)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	base, head, cleanup, err := materialize(ctx, env, &c)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	defer cleanup()
	opts := toolchain.Options{Old: *oldTC, New: *newTC, KeepGoLine: *keep, Packages: fs.Args()}
	if env.Progress {
		opts.Progress = env.Stderr
	}
	r, err := toolchain.Run(ctx,
		toolchain.Side{Root: base.root, Label: base.label},
		toolchain.Side{Root: head.root, Label: head.label}, opts)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	r.Base = fmt.Sprintf("%s under %s", c.base, *oldTC)
	r.Head = fmt.Sprintf("%s under %s", c.head, *newTC)
	r.Suppress(sups)
	toolchain.Decide(r)
	r.Sort()
	return emit(ctx, env, format, r)
}
