// Package plan implements `upshift plan`: a read-only report of what moving
// a module to a newer go line involves, before anything is changed. It
// gathers what the other commands know (the GODEBUG defaults that flip, the
// pins upshift bump would add, the findings of every analyzer run at the
// target with the fate upshift fix would give them, the dependencies that
// block or ease the move) and lists the stages a migration goes through.
// It writes no file: the fix engine computes in memory.
package plan

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/godebugs"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/bump"
	"github.com/upshift-dev/upshift/rewrite/engine"
)

const usage = `usage: upshift plan [-to VERSION] [-format text|markdown|json] [-tags list] [packages]

Reports what moving the module in the current directory to go line VERSION
(default: the installed toolchain's) involves, and changes nothing:

  - the GODEBUG defaults that flip between the go line and VERSION, and
    the code each one reaches (the godebug analyzer, run at VERSION);
  - the pins upshift bump would add, and the files whose loops change
    meaning at go 1.22;
  - every analyzer's findings, each classed as a safe fix, a behavior fix
    (upshift fix -tier=behavior) or manual work, with the reason;
  - the dependencies: those whose go line is above VERSION (blocking),
    deprecated or retracted ones (from the module proxy), and the moves
    in upshift's migration table;
  - the stages upshift migrate will run
    and the manual work left.

Exit status: 0 the plan has no blocking item, 1 it lists blocking items
(a dependency that needs a newer go than VERSION, or a finding no
automatic fix covers), 2 failure (bad flags, not a module, VERSION older
than the current go line, code that does not load).

Examples:
  upshift plan ./...
  upshift plan -to 1.26 -format markdown ./... > PLAN.md
  upshift plan -to 1.24 -format json ./... | jq .blocking

Flags:
`

// Main runs `upshift plan` with args (after the word "plan").
func Main(ctx context.Context, env command.Env, args []string) int {
	fs := flag.NewFlagSet("upshift plan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	to := fs.String("to", godebugs.ToolchainLang(), "target go line, e.g. 1.26 (default: the installed toolchain's)")
	format := fs.String("format", "text", "output format: text, markdown or json")
	tags := fs.String("tags", "", "comma-separated build tags to apply when loading packages")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
	}
	patterns, err := command.ParseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command.ExitOK
		}
		return command.ExitError
	}
	if !slices.Contains([]string{"text", "markdown", "json"}, *format) {
		return env.Errorf("plan", "unknown -format %q: use text, markdown or json", *format)
	}
	target := godebugs.Normalize(*to)
	if target == "" || !version.IsValid(target) {
		return env.Errorf("plan", "-to %q: want a Go version such as 1.26", *to)
	}
	if tc := godebugs.ToolchainLang(); tc != "" && version.Compare(target, tc) > 0 {
		return env.Errorf("plan", "-to %s is newer than the installed Go toolchain (%s): its GODEBUG defaults are unknown here", strings.TrimPrefix(target, "go"), strings.TrimPrefix(tc, "go"))
	}
	if err := command.CheckModule(env.Dir); err != nil {
		return env.Errorf("plan", "%v", err)
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	progress := command.NewProgress(env, "upshift plan")
	p, err := Build(ctx, env.Dir, target, *tags, patterns, progress.Set)
	progress.Done()
	if err != nil {
		return env.Errorf("plan", "%v", err)
	}
	switch *format {
	case "json":
		err = writeJSON(env.Stdout, p)
	case "markdown":
		err = writeText(env.Stdout, p, true)
	default:
		err = writeText(env.Stdout, p, false)
	}
	if err != nil {
		return env.Errorf("plan", "writing output: %v", err)
	}
	if len(p.Blocking) > 0 {
		return command.ExitFindings
	}
	return command.ExitOK
}

// Plan is the report of `upshift plan`; its JSON form is the -format json
// output.
type Plan struct {
	Module string `json:"module"`
	// From is the module's go line, To the target ("go1.21", "go1.26").
	From      string `json:"from"`
	To        string `json:"to"`
	Toolchain string `json:"toolchain,omitempty"`
	// Godebug lists the settings whose default flips, with the code the
	// godebug analyzer found reached by each.
	Godebug []Flip `json:"godebug"`
	// Pins are the godebug lines upshift bump would add.
	Pins []string `json:"pins"`
	// PinNote says why bump could not pin, when it could not.
	PinNote string `json:"pin_note,omitempty"`
	// LoopFiles are the files whose loops change meaning at go1.22 (bump
	// keeps them at go1.21), relative to the module root.
	LoopFiles []LoopFile `json:"loop_files"`
	// Findings are every analyzer's findings, classified.
	Findings []Finding `json:"findings"`
	// Dependencies that block or ease the move.
	Dependencies []Dependency `json:"dependencies"`
	// Moves are the migration-table entries that apply.
	Moves []Move `json:"moves"`
	// Stages are the stages upshift migrate will run.
	Stages []Stage `json:"stages"`
	// Manual lists the work no stage does.
	Manual []string `json:"manual"`
	// Blocking lists what stands in the way of the move as planned.
	Blocking []string `json:"blocking"`
}

// Flip is one GODEBUG setting whose default flips.
type Flip struct {
	Name        string `json:"name"`
	Changed     string `json:"changed"`
	Description string `json:"description"`
	// Line is the go.mod line that keeps the old behaviour.
	Line string `json:"line"`
	// Pinned is true when go.mod already has a godebug line for it.
	Pinned bool `json:"pinned"`
	// Reached are the positions ("file:line") of code it reaches.
	Reached []string `json:"reached"`
}

// LoopFile is a file whose loops change meaning at go1.22.
type LoopFile struct {
	File  string `json:"file"`
	Lines []int  `json:"lines"`
}

// Class is what a finding needs.
type Class string

// The classes of a finding.
const (
	SafeFix     Class = "safe fix"
	BehaviorFix Class = "behavior fix"
	Manual      Class = "manual"
)

// Finding is one analyzer finding and what it needs.
type Finding struct {
	Analyzer string `json:"analyzer"`
	Position string `json:"position"`
	Message  string `json:"message"`
	Class    Class  `json:"class"`
	Fix      string `json:"fix,omitempty"`
	// Reason says why no automatic fix applies (class manual).
	Reason string `json:"reason,omitempty"`
}

// Dependency is a required module worth a line in the plan.
type Dependency struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	// GoVersion is the go line of its go.mod.
	GoVersion  string `json:"go_version,omitempty"`
	Deprecated string `json:"deprecated,omitempty"`
	Retracted  string `json:"retracted,omitempty"`
	Update     string `json:"update,omitempty"`
	// Blocks is true when its go line is above the target.
	Blocks bool `json:"blocks"`
}

// Move is a migration-table entry that applies to the module.
type Move struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Summary  string `json:"summary"`
	Indirect bool   `json:"indirect"`
}

// Stage is one stage of upshift migrate.
type Stage struct {
	N      int    `json:"n"`
	Name   string `json:"name"`
	Does   string `json:"does"`
	Verify string `json:"verify"`
}

// Build computes the plan for the module in dir.
func Build(ctx context.Context, dir, to, tags string, patterns []string, progress func(string)) (*Plan, error) {
	if progress == nil {
		progress = func(string) {}
	}
	mod, err := deps.FindModule(ctx, dir)
	if err != nil {
		return nil, err
	}
	if mod.File.Go == nil {
		return nil, fmt.Errorf("%s has no go line", mod.Path)
	}
	from := godebugs.Normalize(mod.File.Go.Version)
	if version.Compare(to, from) < 0 {
		return nil, fmt.Errorf("-to %s is older than the go line of %s (%s): a plan moves forward", strings.TrimPrefix(to, "go"), mod.Path, strings.TrimPrefix(from, "go"))
	}
	p := &Plan{From: from, To: to, Pins: []string{}, LoopFiles: []LoopFile{}, Findings: []Finding{},
		Dependencies: []Dependency{}, Moves: []Move{}, Manual: []string{}, Blocking: []string{}, Godebug: []Flip{}}
	if mod.File.Module != nil {
		p.Module = mod.File.Module.Mod.Path
	}
	if mod.File.Toolchain != nil {
		p.Toolchain = mod.File.Toolchain.Name
	}
	pinned := map[string]bool{}
	for _, g := range mod.File.Godebug {
		pinned[g.Key] = true
	}
	byName := map[string]int{}
	for _, s := range godebugs.Flipped(from, to) {
		byName[s.Name] = len(p.Godebug)
		p.Godebug = append(p.Godebug, Flip{Name: s.Name, Changed: s.Changed, Description: s.Description,
			Line: s.GodebugLine(), Pinned: pinned[s.Name], Reached: []string{}})
	}

	progress("planning the bump")
	b, err := bump.PlanModule(ctx, mod.Root, to, true)
	if err != nil {
		// bump refuses pins below go1.23 (no godebug blocks there): say so
		// rather than fail the whole plan.
		p.PinNote = strings.ReplaceAll(err.Error(), mod.Path, "go.mod")
		if b, err = bump.PlanModule(ctx, mod.Root, to, false); err != nil {
			return nil, err
		}
	}
	for _, s := range b.Pinned {
		p.Pins = append(p.Pins, s.GodebugLine())
	}
	for _, lf := range b.Loops {
		p.LoopFiles = append(p.LoopFiles, LoopFile{File: rel(mod.Root, lf.Path), Lines: lf.Lines})
	}

	progress("running the analyzers at " + to)
	res, err := runAnalyzers(ctx, dir, to, tags, patterns, progress)
	if err != nil {
		return nil, err
	}
	for _, o := range res.Outcomes {
		f := Finding{Analyzer: o.Analyzer, Position: fmt.Sprintf("%s:%d", rel(mod.Root, o.File), o.Line), Message: o.Message, Fix: o.Fix}
		switch {
		case o.Fate == engine.Applied && o.Tier == tier.Behavior:
			f.Class = BehaviorFix
		case o.Fate == engine.Applied:
			f.Class = SafeFix
		default:
			f.Class = Manual
			f.Reason = cmp.Or(o.Reason, string(o.Fate))
		}
		p.Findings = append(p.Findings, f)
		if o.Analyzer == godebug.Analyzer.Name {
			for name, i := range byName {
				if strings.Contains(o.Message, "GODEBUG "+name+" ") {
					p.Godebug[i].Reached = append(p.Godebug[i].Reached, f.Position)
				}
			}
		}
		if f.Class == Manual {
			p.Manual = append(p.Manual, fmt.Sprintf("%s: %s (%s): %s", f.Position, f.Analyzer, f.Reason, f.Message))
		}
	}

	progress("reading the dependencies")
	ds, err := dependencies(ctx, mod.Root)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		d.Blocks = d.GoVersion != "" && version.Compare("go"+d.GoVersion, to) > 0
		if d.Blocks || d.Deprecated != "" || d.Retracted != "" {
			p.Dependencies = append(p.Dependencies, d)
		}
		if d.Blocks {
			p.Blocking = append(p.Blocking, fmt.Sprintf("dependency %s@%s needs go %s, above %s", d.Path, d.Version, d.GoVersion, strings.TrimPrefix(to, "go")))
		}
	}
	for _, m := range deps.Plan(mod) {
		p.Moves = append(p.Moves, Move{From: m.Migration.From, To: m.Migration.To, Summary: m.Migration.Summary, Indirect: m.Indirect})
	}
	for _, f := range p.Findings {
		if f.Class == Manual {
			p.Blocking = append(p.Blocking, fmt.Sprintf("%s: %s finding needs manual work", f.Position, f.Analyzer))
		}
	}
	for _, lf := range p.LoopFiles {
		p.Manual = append(p.Manual, fmt.Sprintf("%s: loops at lines %s change meaning at go1.22; review them, then drop the //go:build go1.21 line bump adds", lf.File, joinInts(lf.Lines)))
	}
	p.Stages = stages(p)
	return p, nil
}

// runAnalyzers runs every analyzer at the target go line through the fix
// engine with the behavior tier, so that each finding's outcome says
// whether a safe fix, a behavior fix or nobody handles it. The engine
// computes in memory; nothing is written. The analyzers run through go vet
// with this binary as the tool (one process per package, results cached),
// as upshift vet and upshift fix do.
func runAnalyzers(ctx context.Context, dir, to, tags string, patterns []string, progress func(string)) (*engine.Result, error) {
	tool, err := govet.Self()
	if err != nil {
		return nil, err
	}
	return engine.Run(ctx, engine.Options{
		Dir: dir, Patterns: patterns, Tags: tags, Tests: true,
		Analyzers: registry.Analyzers(), Tier: tier.Behavior, MaxRounds: 1,
		Progress: progress, Tool: tool, Flags: []string{"-" + godebug.Analyzer.Name + "." + godebug.FlagTo + "=" + to},
	})
}

// dependencies lists the required modules with their go lines, and, from
// the module proxy, deprecation, retraction and updates.
func dependencies(ctx context.Context, root string) ([]Dependency, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-u", "-json", "all")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m -u -json all: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var ds []Dependency
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct {
			Path, Version, GoVersion, Deprecated string
			Main                                 bool
			Retracted                            []string
			Update                               *struct{ Version string }
		}
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -m -u -json all: %v", err)
		}
		if m.Main {
			continue
		}
		d := Dependency{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion, Deprecated: m.Deprecated, Retracted: strings.Join(m.Retracted, "; ")}
		if m.Update != nil {
			d.Update = m.Update.Version
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// stages describes the stages upshift migrate will run, with this
// module's numbers.
func stages(p *Plan) []Stage {
	count := func(c Class) int {
		n := 0
		for _, f := range p.Findings {
			if f.Class == c {
				n++
			}
		}
		return n
	}
	behaviorBy := map[string]bool{}
	testVerified := map[string]bool{}
	for _, c := range registry.Checks() {
		testVerified[c.Name] = c.TestVerified
	}
	verified := 0
	for _, f := range p.Findings {
		if f.Class == BehaviorFix {
			behaviorBy[f.Analyzer] = true
			if testVerified[f.Analyzer] {
				verified++
			}
		}
	}
	verifiedBy := []string{}
	for _, c := range registry.Checks() {
		if c.TestVerified {
			verifiedBy = append(verifiedBy, c.Name)
		}
	}
	out := []Stage{
		{0, "baseline", "build and go test at " + p.From, "the build passes; test outcomes are recorded"},
		{1, "neutral bump", fmt.Sprintf("go line %s -> %s with %d pin(s) and %d file(s) kept at go1.21", p.From, p.To, len(p.Pins), len(p.LoopFiles)),
			"DefaultGODEBUG equal before and after; test outcomes equal"},
		{2, "safe fixes", fmt.Sprintf("%d finding(s) fixed by upshift fix", count(SafeFix)), "builds; test outcomes equal"},
		{3, "behavior fixes", fmt.Sprintf("%d finding(s) fixed by upshift fix -tier=behavior, one commit per analyzer (%d analyzer(s)); at -tier=safe only the %d that tests verify (%s)", count(BehaviorFix), len(behaviorBy), verified, strings.Join(verifiedBy, ", ")),
			"builds; test outcomes equal; a fix that breaks a test is left out and named"},
		{4, "unpin", fmt.Sprintf("each of %d pin(s) removed on its own when no finding for its setting remains", len(p.Pins)), "test outcomes still match"},
		{5, "cleanups", "cleanups the new go line allows", "builds; test outcomes equal"},
	}
	// Only the moves of direct requirements are the code's own: an
	// indirect one has no import in the module to rewrite.
	var moves []string
	for _, m := range p.Moves {
		if !m.Indirect {
			moves = append(moves, m.From+" -> "+m.To)
		}
	}
	if len(moves) > 0 {
		out = slices.Insert(out, 3, Stage{2, "dependency moves", fmt.Sprintf("with upshift migrate -moves: %d move(s), one commit each: %s", len(moves), strings.Join(moves, ", ")),
			"builds; test outcomes equal; a move that breaks a test is left out"})
	}
	return out
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
