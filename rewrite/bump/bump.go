// Package bump implements `upshift bump`: the behaviour-neutral first stage
// of a go-line bump. It raises the go line in go.mod and pins every GODEBUG
// setting whose default the bump would flip to its old value, in a godebug
// block, one commented line per setting. Later stages drop the pins one by
// one, each a reviewable behaviour change.
package bump

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/godebugs"
	"github.com/upshift-dev/upshift/internal/unidiff"
)

// Result describes a planned bump.
type Result struct {
	// From and To are the old and new go lines ("go1.21", "go1.24").
	From, To string
	// Pinned lists the settings given their old value.
	Pinned []godebugs.Setting
	// Kept lists settings the go.mod already sets, left as they are.
	Kept []string
	// Old and New are the go.mod contents before and after.
	Old, New []byte
}

// Plan computes the bump of the go.mod at path to go line to (e.g. "1.24"
// or "go1.24"). With pin false only the go line changes.
func Plan(path, to string, pin bool) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, err
	}
	if f.Go == nil {
		return nil, fmt.Errorf("%s has no go line", path)
	}
	target := "go" + strings.TrimPrefix(to, "go")
	if !version.IsValid(target) {
		return nil, fmt.Errorf("-to %q is not a Go version such as 1.24 or go1.24.3", to)
	}
	from := "go" + f.Go.Version
	if version.Compare(target, from) <= 0 {
		return nil, fmt.Errorf("%s: go line %s is already at or past %s", path, f.Go.Version, strings.TrimPrefix(target, "go"))
	}
	res := &Result{From: version.Lang(from), To: version.Lang(target), Old: data}
	if err := f.AddGoStmt(strings.TrimPrefix(target, "go")); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if pin {
		flipped := godebugs.Flipped(from, target)
		if len(flipped) > 0 && version.Compare(target, "go1.23") < 0 {
			return nil, fmt.Errorf("%s: %d GODEBUG default(s) flip between %s and %s, but godebug blocks in go.mod need go 1.23 or later; pin them with //go:debug lines in package main instead, or bump to 1.23+", path, len(flipped), res.From, res.To)
		}
		have := map[string]bool{}
		for _, g := range f.Godebug {
			have[g.Key] = true
		}
		for _, s := range flipped {
			if have[s.Name] {
				res.Kept = append(res.Kept, s.Name)
				continue
			}
			if err := f.AddGodebug(s.Name, s.Old); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			res.Pinned = append(res.Pinned, s)
		}
		// Say on each pinned line why it is there.
		for _, g := range f.Godebug {
			for _, s := range res.Pinned {
				if g.Key == s.Name && g.Syntax != nil {
					g.Syntax.Comments.Suffix = []modfile.Comment{{Token: "// " + s.Changed + ": " + s.Description, Suffix: true}}
				}
			}
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("%s: formatting: %w", path, err)
	}
	res.New = out
	return res, nil
}

const usage = `usage: upshift bump [-diff | -w] [-pin=false] VERSION

Raises the go line of the module in the current directory to VERSION and, by
default, pins every GODEBUG setting whose default that would flip to its old
value in a godebug block of go.mod: a behaviour-neutral first stage. Then
drop the pins one at a time, each a reviewable change (upshift vet's
godebug analyzer shows the code each one affects).

Exit status: 0 written (or nothing to do), 1 a change is pending (without
-w), 2 failure.

Examples:
  upshift bump -diff 1.24     # review
  upshift bump -w 1.24        # write go.mod
  upshift bump -w -pin=false 1.24

Flags:
`

// Main runs `upshift bump` with args (after the word "bump").
func Main(ctx context.Context, env command.Env, args []string) int {
	fs := flag.NewFlagSet("upshift bump", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	diff := fs.Bool("diff", false, "print the go.mod change as a unified diff")
	write := fs.Bool("w", false, "write go.mod")
	pin := fs.Bool("pin", true, "pin flipped GODEBUG settings to their old values")
	fs.Usage = func() { fmt.Fprint(env.Stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK
		}
		return command.ExitError
	}
	if fs.NArg() != 1 {
		return env.Errorf("bump", "want one target version, e.g. upshift bump -w 1.24")
	}
	if *diff && *write {
		return env.Errorf("bump", "-diff and -w do not go together")
	}
	path := filepath.Join(env.Dir, "go.mod")
	res, err := Plan(path, fs.Arg(0), *pin)
	if err != nil {
		return env.Errorf("bump", "%v", err)
	}
	if *diff {
		rel := "go.mod"
		if r, err := filepath.Rel(command.RepoRoot(ctx, env.Dir), path); err == nil {
			rel = filepath.ToSlash(r)
		}
		d, err := unidiff.Unified("a/"+rel, "b/"+rel, string(res.Old), string(res.New))
		if err != nil {
			return env.Errorf("bump", "diff: %v", err)
		}
		fmt.Fprintf(env.Stdout, "diff --git a/%s b/%s\n%s", rel, rel, d)
	}
	if *write {
		if err := atomicfile.Write(path, res.New); err != nil {
			return env.Errorf("bump", "writing %s: %v", path, err)
		}
	}
	verb := "would raise"
	if *write {
		verb = "raised"
	}
	fmt.Fprintf(env.Stderr, "upshift bump: %s the go line from %s to %s; %d GODEBUG setting(s) pinned to their old values\n", verb, res.From, res.To, len(res.Pinned))
	for _, s := range res.Pinned {
		fmt.Fprintf(env.Stderr, "  %-28s changed in %s: %s\n", s.Name+"="+s.Old, s.Changed, s.Description)
	}
	for _, k := range res.Kept {
		fmt.Fprintf(env.Stderr, "  %-28s already set in go.mod: kept\n", k)
	}
	if !*write && !bytes.Equal(res.Old, res.New) {
		return command.ExitFindings
	}
	return command.ExitOK
}
