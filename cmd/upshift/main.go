// Command upshift finds and fixes Go migration hazards, checks compatibility
// between two versions, and gates capacity after each migration stage.
// It also speaks the go vet tool protocol:
//
//	go vet -vettool=$(command -v upshift) ./...
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/term"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/cli"
	"github.com/upshift-dev/upshift/internal/command"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-V=full" {
		// The go command keys its vet cache on this line: it names the
		// binary's content and the fix tier, so that results built for one
		// UPSHIFT_FIX_TIER are not reused for the other.
		os.Exit(printToolID(os.Stdout, fixTier()))
	}
	if invokedByGoVet(os.Args[1:]) {
		rewrite.SetWanted(vetWantsFixes(os.Args[1:]))
		// go fix applies every fix it is given: build the safe tier only,
		// unless the user asks for more.
		rewrite.SetMaxTier(fixTier())
		unitchecker.Main(registry.Analyzers()...) // exits
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir, err := os.Getwd()
	if err != nil {
		os.Stderr.WriteString("upshift: " + err.Error() + "\n")
		os.Exit(command.ExitError)
	}
	env := command.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Dir: dir,
		Progress: term.IsTerminal(int(os.Stderr.Fd())) && os.Getenv("CI") == "",
	}
	code := cli.Run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// invokedByGoVet reports whether go vet runs us as its -vettool: it asks
// for -V=full and -flags, then passes a *.cfg file describing one package.
func invokedByGoVet(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if args[0] == "-flags" || strings.HasPrefix(args[0], "-V") {
		return true
	}
	return strings.HasSuffix(args[len(args)-1], ".cfg")
}

// vetWantsFixes reports whether the go command asks the vet tool for its
// fixes: -fix (go fix, go vet -fix) applies them and -diff shows them.
// Go 1.26's go vet passes -json on every run and prints the diagnostics
// itself, so -json alone does not mean that anyone reads the fixes; the
// analyzers then skip building them.
func vetWantsFixes(args []string) bool {
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "fix" || name == "diff") && value != "false" {
			return true
		}
	}
	return false
}

// fixTier is the highest tier of fix the vet tool builds: safe, or
// behavior when UPSHIFT_FIX_TIER=behavior.
func fixTier() tier.Tier {
	if os.Getenv("UPSHIFT_FIX_TIER") == string(tier.Behavior) {
		return tier.Behavior
	}
	return tier.Safe
}

// printToolID answers the go command's -V=full: "upshift version
// VERSION+CONTENTHASH fixtier=TIER". A release-style line (no "devel") is
// used whole as the tool's cache key.
func printToolID(w io.Writer, t tier.Tier) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "upshift: %v\n", err)
		return command.ExitError
	}
	f, err := os.Open(exe)
	if err != nil {
		fmt.Fprintf(os.Stderr, "upshift: %v\n", err)
		return command.ExitError
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		fmt.Fprintf(os.Stderr, "upshift: reading %s: %v\n", exe, err)
		return command.ExitError
	}
	fmt.Fprintf(w, "%s version %s+%x fixtier=%s\n", filepath.Base(os.Args[0]), command.Version, h.Sum(nil)[:16], t)
	return command.ExitOK
}
