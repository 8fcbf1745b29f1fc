package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/upshift-dev/upshift/compat/report"
	"github.com/upshift-dev/upshift/internal/godebugs"
)

// ErrUnavailable is wrapped by errors about a toolchain that cannot be
// run or downloaded.
var ErrUnavailable = errors.New("toolchain unavailable")

// Options configure a toolchain comparison.
type Options struct {
	// Old and New are toolchain names such as "go1.22.12".
	Old, New string
	// KeepGoLine leaves the new side's go line alone instead of raising it
	// to New's version.
	KeepGoLine bool
	// Packages are the package patterns to test (default "./...").
	Packages []string
	// Progress, when set, receives one line per step.
	Progress io.Writer
}

// Side is one version of the module's source.
type Side struct {
	// Root is the module directory; it is copied, never modified.
	Root string
	// Label names the side in messages.
	Label string
}

var toolchainName = regexp.MustCompile(`^go1\.\d+(\.\d+)?((rc|beta)\d+)?$`)

// Run tests base under opts.Old and head under opts.New in scratch copies
// and reports the tests and packages whose outcome differs, and the GODEBUG
// defaults that differ between the two go lines.
func Run(ctx context.Context, base, head Side, opts Options) (*report.Report, error) {
	for _, v := range []string{opts.Old, opts.New} {
		if !toolchainName.MatchString(v) {
			return nil, fmt.Errorf("toolchain %q: want a name like go1.22.12", v)
		}
	}
	if len(opts.Packages) == 0 {
		opts.Packages = []string{"./..."}
	}
	work, err := os.MkdirTemp("", "upshift-toolchain-")
	if err != nil {
		return nil, fmt.Errorf("toolchain: %w", err)
	}
	defer os.RemoveAll(work)

	for _, v := range []string{opts.Old, opts.New} {
		if err := ensureToolchain(ctx, work, v, opts.Progress); err != nil {
			return nil, err
		}
	}
	oldRun, err := runSide(ctx, base, filepath.Join(work, "old"), opts.Old, opts, false)
	if err != nil {
		return nil, err
	}
	newRun, err := runSide(ctx, head, filepath.Join(work, "new"), opts.New, opts, !opts.KeepGoLine)
	if err != nil {
		return nil, err
	}
	if err := headBuilds(ctx, base, head, filepath.Join(work, "head-old"), newRun, opts); err != nil {
		return nil, err
	}
	r := &report.Report{Command: "toolchain", Rules: Rules}
	r.Findings = diffRuns(oldRun, newRun, opts)
	gd, notes := godebugFindings(ctx, work, oldRun.goLine, newRun.goLine, opts.New)
	r.Findings = append(r.Findings, gd...)
	r.Notes = append(r.Notes, oldRun.notes...)
	r.Notes = append(r.Notes, newRun.notes...)
	r.Notes = append(r.Notes, notes...)
	r.Sort()
	Decide(r)
	return r, nil
}

// headBuilds tells a toolchain that breaks the build (TC002) from a head
// that does not build at all, which is an error as in compat api and
// wire: when packages of the head fail to build under the new toolchain
// and the head is other code than the base, the head is also run under
// the old toolchain; packages that fail to build there too are the
// code's fault, not the toolchain's.
func headBuilds(ctx context.Context, base, head Side, dir string, newRun *sideRun, opts Options) error {
	if base.Root == head.Root {
		return nil // the same code built under the old toolchain
	}
	var broken []string
	for path, o := range newRun.result.Packages {
		if o == BuildFail {
			broken = append(broken, path)
		}
	}
	if len(broken) == 0 {
		return nil
	}
	headOld, err := runSide(ctx, head, dir, opts.Old, opts, false)
	if err != nil {
		return err
	}
	var problems []string
	for _, path := range broken {
		if headOld.result.Packages[path] == BuildFail {
			problems = append(problems, "package "+path+" fails to build")
			// Keep the compiler's lines, not go test's headers.
			for _, line := range strings.Split(clip(outputOf(newRun, path, "")), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "FAIL") {
					problems = append(problems, line)
				}
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	slices.Sort(problems)
	return fmt.Errorf("%s does not build (under %s nor %s):\n\t%s", head.Label, opts.Old, opts.New, strings.Join(slices.Compact(problems), "\n\t"))
}

// Decide sets the verdict: incompatible when something that passes under
// the old toolchain does not under the new one.
func Decide(r *report.Report) {
	r.Reasons = nil
	for _, f := range r.Findings {
		if f.Suppressed == "" && f.Level == report.LevelError {
			r.Reasons = append(r.Reasons, fmt.Sprintf("%s %s: %s", f.Rule, f.Symbol, f.Message))
		}
	}
	if r.Incompatible() {
		r.Verdict = "incompatible"
	} else {
		r.Verdict = "compatible"
	}
}

// ensureToolchain runs `go version` with GOTOOLCHAIN=v in an empty
// directory, which downloads the toolchain through the module proxy when
// it is not the local one.
func ensureToolchain(ctx context.Context, work, v string, progress io.Writer) error {
	dir := filepath.Join(work, "probe-"+v)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("toolchain: %w", err)
	}
	if progress != nil {
		fmt.Fprintf(progress, "upshift compat toolchain: getting %s\n", v)
	}
	cmd := exec.CommandContext(ctx, "go", "version")
	cmd.Dir = dir
	cmd.Env = goEnv(v)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "go version "+v+" ") {
		return fmt.Errorf("%w: GOTOOLCHAIN=%s go version: %v: %s", ErrUnavailable, v, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func goEnv(toolchain string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOTOOLCHAIN=") || strings.HasPrefix(kv, "GOWORK=")
	})
	return append(env, "GOTOOLCHAIN="+toolchain, "GOWORK=off")
}

// sideRun is the outcome of one side's `go test -json`.
type sideRun struct {
	label     string
	toolchain string
	goLine    string
	modPath   string
	dir       string
	result    *Result
	notes     []string
}

// runSide copies the side into dir, sets its go line for toolchain v
// (lowered when the toolchain is older, raised to v when raise is set),
// drops the toolchain line, and runs `go test -json`.
func runSide(ctx context.Context, s Side, dir, v string, opts Options, raise bool) (*sideRun, error) {
	if err := copyTree(s.Root, dir); err != nil {
		return nil, fmt.Errorf("%s: copying to a scratch directory: %w", s.Label, err)
	}
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod)
	if errors.Is(err, fs.ErrNotExist) {
		// The scratch path means nothing to the user: name the side.
		return nil, fmt.Errorf("%s: no go.mod (not a Go module)", s.Label)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Label, err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Label, err)
	}
	if mf.Module == nil {
		return nil, fmt.Errorf("%s: go.mod has no module line", s.Label)
	}
	run := &sideRun{label: s.Label, toolchain: v, dir: dir, modPath: mf.Module.Mod.Path}
	orig := "1.16"
	if mf.Go != nil {
		orig = mf.Go.Version
	}
	line := orig
	tv := strings.TrimPrefix(v, "go")
	switch {
	case version.Compare("go"+orig, v) > 0:
		line = goLineFor(tv)
		run.notes = append(run.notes, fmt.Sprintf("%s: go line lowered from %s to %s in a scratch copy so that %s runs it", s.Label, orig, line, v))
	case raise && version.Compare("go"+orig, v) < 0:
		line = goLineFor(tv)
		run.notes = append(run.notes, fmt.Sprintf("%s: go line raised from %s to %s in a scratch copy (language version and GODEBUG defaults of %s; -keep-go-line keeps %s)", s.Label, orig, line, v, orig))
	}
	run.goLine = line
	if err := mf.AddGoStmt(line); err != nil {
		return nil, fmt.Errorf("%s: setting go line %s: %w", s.Label, line, err)
	}
	// The toolchain line is only a suggestion; a stale one would make
	// the go command switch toolchains or reject the go line.
	mf.DropToolchainStmt()
	out, err := mf.Format()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Label, err)
	}
	if err := os.WriteFile(gomod, out, 0o644); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Label, err)
	}

	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "upshift compat toolchain: go test -json %s under %s (go %s)\n", strings.Join(opts.Packages, " "), v, line)
	}
	args := append([]string{"test", "-json"}, opts.Packages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(goEnv(v), "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return nil, fmt.Errorf("%s: go test under %s: %w", s.Label, v, err)
	}
	run.result = parseTestJSON(stdout.Bytes(), stderr.Bytes())
	if len(run.result.Packages) == 0 {
		msg := strings.TrimSpace(strings.ReplaceAll(stderr.String(), dir+string(filepath.Separator), ""))
		return nil, fmt.Errorf("%s: go test under %s ran no package: %s", s.Label, v, msg)
	}
	return run, nil
}

// goLineFor returns the go line naming toolchain version tv: three-part
// versions exist from go1.21 on.
func goLineFor(tv string) string {
	if version.Compare("go"+tv, "go1.21") < 0 {
		return version.Lang("go" + tv)[2:]
	}
	return tv
}

// copyTree copies the module tree, skipping VCS metadata.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".git" && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// godebugFindings lists the GODEBUG settings whose default differs between
// the two go lines, from the godebug analyzer's table, checked against
// `go list -f {{.DefaultGODEBUG}}` of a scratch main module at the old go
// line built by the new toolchain (the ground truth).
func godebugFindings(ctx context.Context, work, oldLine, newLine, newToolchain string) ([]report.Finding, []string) {
	var out []report.Finding
	var notes []string
	group := fmt.Sprintf("GODEBUG defaults (go %s -> go %s)", oldLine, newLine)
	table := godebugs.Flipped(oldLine, newLine)
	inTable := map[string]bool{}
	for _, s := range table {
		inTable[s.Name] = true
		out = append(out, report.Finding{
			Rule: RuleGodebug, Level: ruleLevel(RuleGodebug), Group: group, Symbol: "godebug " + s.Name,
			Message: fmt.Sprintf("%s (%s) default changed in %s: %s", s.Name, s.Package, s.Changed, s.Description),
			Advice:  fmt.Sprintf("to keep the old behaviour, add `%s` to go.mod (or //go:debug %s=%s in main)", s.GodebugLine(), s.Name, s.Old),
		})
	}
	truth, err := defaultGODEBUG(ctx, work, oldLine, newToolchain)
	if err != nil {
		notes = append(notes, "GODEBUG ground truth unavailable: "+err.Error())
		return out, notes
	}
	if version.Compare("go"+newLine, "go"+newToolchain[2:]) < 0 {
		// The new side's own go line keeps some old defaults too; only
		// settings that differ between the two lines matter.
		newTruth, err := defaultGODEBUG(ctx, work, newLine, newToolchain)
		if err == nil {
			for k, v := range newTruth {
				if truth[k] == v {
					delete(truth, k)
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(truth)) {
		if inTable[name] {
			continue
		}
		out = append(out, report.Finding{
			Rule: RuleGodebug, Level: ruleLevel(RuleGodebug), Group: group, Symbol: "godebug " + name,
			Message: fmt.Sprintf("%s default differs (go %s uses %s=%s)", name, oldLine, name, truth[name]),
			Advice:  fmt.Sprintf("to keep the old behaviour, add `godebug %s=%s` to go.mod", name, truth[name]),
		})
	}
	for _, s := range table {
		if _, ok := truth[s.Name]; !ok {
			notes = append(notes, fmt.Sprintf("GODEBUG %s is in upshift's table but not in %s's DefaultGODEBUG for go %s", s.Name, newToolchain, oldLine))
		}
	}
	return out, notes
}

// defaultGODEBUG returns the non-default GODEBUG settings the toolchain
// builds into a main package of a module at go line goLine.
func defaultGODEBUG(ctx context.Context, work, goLine, toolchain string) (map[string]string, error) {
	dir := filepath.Join(work, "godebug-"+goLine)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	files := map[string]string{
		"go.mod":  "module upshift.example/godebugprobe\n\ngo " + goLine + "\n",
		"main.go": "package main\n\nfunc main() {}\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-f", "{{.DefaultGODEBUG}}", ".")
	cmd.Dir = dir
	cmd.Env = goEnv(toolchain)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go list -f {{.DefaultGODEBUG}} at go %s under %s: %v: %s", goLine, toolchain, err, strings.TrimSpace(string(out)))
	}
	m := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSpace(string(out)), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m, nil
}
