// Package bump implements `upshift bump`: the behaviour-neutral first stage
// of a go-line bump. It raises the go line in go.mod and pins every GODEBUG
// setting whose default the bump would flip to its old value, in a godebug
// block, one commented line per setting. Later stages drop the pins one by
// one, each a reviewable behaviour change.
package bump

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
	// Loops lists the files kept at go1.21 by a //go:build line because
	// their loops would change meaning at go1.22 (set by PlanModule).
	Loops []LoopFile
	// Current is set when the go line is already at or past the target:
	// there is nothing to do.
	Current bool
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
		return nil, fmt.Errorf("version %q is not a Go version such as 1.24 or go1.24.3", to)
	}
	// Only releases up to the installed toolchain are known: a later go
	// line would not build here, and its GODEBUG defaults are unknown.
	if tc := runtime.Version(); version.IsValid(tc) && version.Compare(target, tc) > 0 {
		return nil, fmt.Errorf("version %s is newer than the installed Go toolchain (%s): no such release is known here, so nothing was written", strings.TrimPrefix(target, "go"), tc)
	}
	from := "go" + f.Go.Version
	res := &Result{From: version.Lang(from), To: version.Lang(target), Old: data, New: data}
	if version.Compare(target, from) <= 0 {
		res.Current = true
		return res, nil
	}
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

// PlanModule plans the bump of the module in dir: go.mod as Plan does,
// and, when the go line crosses go1.22, a //go:build go1.21 line for each
// file whose loops would change meaning, since per-iteration loop
// variables follow the file's language version and no GODEBUG setting
// keeps the old meaning.
func PlanModule(ctx context.Context, dir, to string, pin bool) (*Result, error) {
	res, err := Plan(filepath.Join(dir, "go.mod"), to, pin)
	if err != nil || res.Current {
		return res, err
	}
	if version.Compare(res.From, loopSemantics) >= 0 || version.Compare(res.To, loopSemantics) < 0 {
		return res, nil
	}
	loops, err := changingLoops(ctx, dir, "")
	if err != nil {
		return nil, err
	}
	for _, lf := range loops {
		old, err := os.ReadFile(lf.Path)
		if err != nil {
			return nil, err
		}
		lf.Old = old
		if lf.New, err = keepLoops(old); err != nil {
			return nil, fmt.Errorf("%s: %w", lf.Path, err)
		}
		res.Loops = append(res.Loops, lf)
	}
	return res, nil
}

const usage = `usage: upshift bump [-diff | -w] [-pin=false] VERSION

Raises the go line of the module in the current directory to VERSION
(a release no newer than the installed toolchain) and keeps what it means:

  - every GODEBUG setting whose default would flip is pinned to its old
    value in a godebug block of go.mod, one commented line each;
  - crossing go 1.22, each file with loops whose variables are captured by
    a closure or have their address taken (their meaning changes with
    per-iteration variables, which no GODEBUG setting keeps) gets a
    //go:build go1.21 line that keeps it at the old language version.

Then undo these one at a time, each a reviewable change: upshift vet shows
the code each pin affects (godebug findings marked "pinned") and the loops
of the files kept at go1.21 (loopvar); upshift fix -only loopvar
-tier=behavior copies their variables, after which the line can go.

Exit status: 0 written (or nothing to do: the go line is already there),
1 a change is pending (without -w), 2 failure (nothing written).

Examples:
  upshift bump -diff 1.24     # review
  upshift bump -w 1.24        # write go.mod (and the //go:build lines)
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
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return env.Errorf("bump", "no go.mod in %s (not a Go module)", env.Dir)
	}
	res, err := PlanModule(ctx, env.Dir, fs.Arg(0), *pin)
	if err != nil {
		return env.Errorf("bump", "%v", err)
	}
	if res.Current {
		fmt.Fprintf(env.Stderr, "upshift bump: nothing to do: the go line (%s) is already at or past %s\n", strings.TrimPrefix(res.From, "go"), strings.TrimPrefix(fs.Arg(0), "go"))
		return command.ExitOK
	}
	changes := map[string][2][]byte{path: {res.Old, res.New}}
	for _, lf := range res.Loops {
		changes[lf.Path] = [2][]byte{lf.Old, lf.New}
	}
	root := command.RepoRoot(ctx, env.Dir)
	if *diff {
		paths := make([]string, 0, len(changes))
		for p := range changes {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			rel := filepath.Base(p)
			if r, err := filepath.Rel(root, p); err == nil {
				rel = filepath.ToSlash(r)
			}
			d, err := unidiff.Unified("a/"+rel, "b/"+rel, string(changes[p][0]), string(changes[p][1]))
			if err != nil {
				return env.Errorf("bump", "diff: %v", err)
			}
			fmt.Fprintf(env.Stdout, "diff --git a/%s b/%s\n%s", rel, rel, d)
		}
	}
	if *write {
		batch := map[string][]byte{}
		for p, c := range changes {
			batch[p] = c[1]
		}
		if err := atomicfile.WriteAll(batch); err != nil {
			return env.Errorf("bump", "%v", err)
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
	if len(res.Loops) > 0 {
		fmt.Fprintf(env.Stderr, "upshift bump: %d file(s) kept at %s by a //go:build %s line: their loops change meaning at %s (loop variables captured or addressed)\n",
			len(res.Loops), keepVersion, keepVersion, loopSemantics)
		for _, lf := range res.Loops {
			rel := lf.Path
			if r, err := filepath.Rel(env.Dir, lf.Path); err == nil {
				rel = filepath.ToSlash(r)
			}
			lines := make([]string, len(lf.Lines))
			for i, l := range lf.Lines {
				lines[i] = strconv.Itoa(l)
			}
			fmt.Fprintf(env.Stderr, "  %s: loops at line(s) %s\n", rel, strings.Join(lines, ", "))
		}
		fmt.Fprintln(env.Stderr, "  next: upshift vet -only loopvar ./... lists them; upshift fix -only loopvar -tier=behavior -w ./... copies the variables; then drop the line")
	}
	if !*write {
		return command.ExitFindings
	}
	return command.ExitOK
}
