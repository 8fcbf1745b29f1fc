// Command upshift finds and fixes Go migration hazards, checks compatibility
// between two versions, and gates capacity after each migration stage.
// It also speaks the go vet tool protocol:
//
//	go vet -vettool=$(command -v upshift) ./...
package main

import (
	"context"
	"os"
	"os/signal"
	"strings"

	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/term"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/cli"
	"github.com/upshift-dev/upshift/internal/command"
)

func main() {
	if invokedByGoVet(os.Args[1:]) {
		rewrite.SetWanted(vetWantsFixes(os.Args[1:]))
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
// fixes: -json prints them, -fix and -diff (go fix) apply or show them.
// Otherwise the analyzers skip building them.
func vetWantsFixes(args []string) bool {
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "json" || name == "fix" || name == "diff") && value != "false" {
			return true
		}
	}
	return false
}
