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

	"golang.org/x/term"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/cli"
	"github.com/upshift-dev/upshift/internal/command"
)

func main() {
	// go vet and go fix run this binary as their vet tool; so does
	// upshift vet, through go vet. ServeTool exits when that is the case.
	vetcmd.ServeTool(vetcmd.Suite{Checks: registry.Checks()})
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
