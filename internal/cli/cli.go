// Package cli dispatches upshift's subcommands. cmd/upshift is a thin main
// over Run, so every command also runs in-process in tests.
package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/compat/compatcmd"
	"github.com/upshift-dev/upshift/compat/replay"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/migrate/migratecmd"
	"github.com/upshift-dev/upshift/migrate/plan"
	"github.com/upshift-dev/upshift/perfcheck/perfcmd"
	"github.com/upshift-dev/upshift/rewrite/bump"
	"github.com/upshift-dev/upshift/rewrite/fixcmd"
)

const usage = `upshift moves Go services from one version to the next without breaking them
or losing capacity.

usage: upshift [-C dir] <command> [flags] [arguments]

  -C dir    run in dir (relative to the current directory), like go -C

Commands:
  vet       find migration hazards (map order, bytes vs text, wire drift,
            iterator APIs, GODEBUG defaults, loop variables)
  fix       apply the automatic fixes in batch (-diff to review, -w to write)
  bump      raise the go line, pinning flipped GODEBUG defaults (a neutral first stage)
  plan      what a move to a newer go line involves: flips, fixes, deps, stages
  migrate   run that move on a new branch, one verified commit per stage
  compat    what breaks between two versions: api, wire (data formats), toolchain
  perf      instruction counts and capacity: bench (compare two versions),
            profile, capacity (the capacity gate)
  replay    send recorded requests to two versions and diff their answers
  explain   describe an analyzer: what it finds, why it matters, before/after
  version   print upshift's version

upshift is also a go vet tool:
  go vet -vettool=$(command -v upshift) ./...

Run 'upshift <command> -h' for a command's flags and examples.
`

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(ctx context.Context, env command.Env, args []string) int {
	if len(args) == 1 && (args[0] == "-C" || args[0] == "--C") {
		return env.Errorf("-C", "-C needs a directory: upshift -C DIR <command> ...")
	}
	if len(args) >= 2 && (args[0] == "-C" || args[0] == "--C") {
		dir := args[1]
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(env.Dir, dir)
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return env.Errorf("-C", "%s is not a directory", args[1])
		}
		env.Dir = dir
		args = args[2:]
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return command.ExitError
	}
	vet := vetcmd.Suite{Checks: registry.Checks()}
	switch args[0] {
	case "vet":
		return vetcmd.Main(ctx, env, vet, args[1:])
	case "fix":
		return fixcmd.Main(ctx, env, vet.Analyzers(), args[1:])
	case "bump":
		return bump.Main(ctx, env, args[1:])
	case "plan":
		return plan.Main(ctx, env, args[1:])
	case "migrate":
		return migratecmd.Main(ctx, env, args[1:])
	case "compat":
		return compatcmd.Main(ctx, env, args[1:])
	case "perf":
		return perfcmd.Main(ctx, env, args[1:])
	case "replay":
		return replay.Main(ctx, env, args[1:])
	case "explain":
		return explain(env, vet.Checks, args[1:])
	case "version":
		fmt.Fprintf(env.Stdout, "upshift %s\n", command.Version)
		return command.ExitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return command.ExitOK
	default:
		fmt.Fprintf(env.Stderr, "upshift: unknown command %q\n\n%s", args[0], usage)
		return command.ExitError
	}
}

func explain(env command.Env, checks []meta.Check, args []string) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(env.Stdout, "usage: upshift explain [NAME | RULE-ID]   (names and IDs in any case, e.g. maporder or UP1001)")
		args = nil
	}
	// The IDs printed in JSON and SARIF include UP1000, the directive
	// check of upshift vet itself.
	checks = append(slices.Clone(checks), vetcmd.DirectiveCheck)
	if len(args) == 0 {
		fmt.Fprintln(env.Stdout, "upshift analyzers (upshift explain NAME for details):")
		for _, c := range checks {
			fmt.Fprintf(env.Stdout, "  %-11s %s  %s\n", c.Name, c.ID, c.Title)
		}
		return command.ExitOK
	}
	if len(args) > 1 {
		return env.Errorf("explain", "explain takes one analyzer name, got %d arguments", len(args))
	}
	name := args[0]
	for _, c := range checks {
		if !strings.EqualFold(c.Name, name) && !strings.EqualFold(c.ID, name) {
			continue
		}
		w := env.Stdout
		fmt.Fprintf(w, "%s (%s): %s\n\n", c.Name, c.ID, c.Title)
		_, body, _ := strings.Cut(c.Doc, "\n\n")
		if body != "" {
			fmt.Fprintf(w, "%s\n\n", strings.TrimSpace(body))
		}
		fmt.Fprintf(w, "Why it matters:\n%s\n\n", indent(c.Why))
		if c.Before != "" {
			fmt.Fprintf(w, "Before:\n%s\n\nAfter:\n%s\n\n", indent(c.Before), indent(c.After))
		}
		fmt.Fprintf(w, "Severity: %s. Fix tier: %s. Since %s.\n", c.Severity, c.Tier, c.Since)
		if c.Name != vetcmd.DirectiveCheck.Name {
			fmt.Fprintf(w, "Suppress one finding: //upshift:ignore %s <reason>\n", c.Name)
		}
		fmt.Fprintf(w, "More: %s\n", c.URL)
		return command.ExitOK
	}
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
	}
	return env.Errorf("explain", "unknown analyzer %q (have %s)", name, strings.Join(names, ", "))
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}
