// Package engine applies upshift's fixes in batch over whole modules: it
// loads the packages once with type information, runs the analyzers,
// applies their suggested fixes, type-checks what it touched (rolling back
// files whose change does not compile), and repeats until nothing is left
// to fix, all in one invocation. It never writes files: the caller gets the
// new contents and decides (see fixcmd).
package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/aymanbagabas/go-udiff"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/rewrite"
)

// Options configures a run.
type Options struct {
	// Dir is the directory the patterns are relative to.
	Dir string
	// Patterns are go package patterns; default ./...
	Patterns []string
	// Tags are extra build tags, comma-separated.
	Tags string
	// Tests includes test files (default in fixcmd: true).
	Tests bool
	// Analyzers produce the diagnostics whose fixes are applied.
	Analyzers []*analysis.Analyzer
	// Tier is the highest tier applied: TierSafe (default) or TierBehavior.
	Tier tier.Tier
	// MaxRounds bounds the fixpoint iteration (default 5).
	MaxRounds int
	// Progress, when set, is told what the engine is doing.
	Progress func(stage string)
	// BuildFlags are extra go command flags for loading the packages
	// (fix -move passes -modfile, a go.mod that already requires the new
	// module).
	BuildFlags []string
	// Tool, when set, is an upshift binary that serves Analyzers as go
	// vet's tool (vetcmd.ServeTool): each round then runs through `go vet
	// -json` with the changed files as an overlay, one process per
	// package, facts in vetx files, unchanged packages from the go build
	// cache, so memory stays bounded by the largest package; a later
	// round vets the packages of the files that changed, their
	// dependencies coming from the cache. Empty runs the analyzers in
	// this process, on packages loaded whole (all of them in memory at
	// once): every command runs through go vet, fix -move included
	// (movefix.Analyzer, configured by Flags); the engine's tests run both
	// ways, and tests of analyzers no tool binary serves use this one.
	Tool string
	// Flags are analyzer flags for the Tool, "-name.flag=value"; in this
	// process the analyzers read their flag values directly.
	Flags []string
	// Leave, when set, is asked about every finding before its fix is
	// chosen, with the finding's analyzer, file, line in the original
	// file and message; a non-empty answer leaves the fix out (recorded
	// as skipped with that reason). upshift migrate leaves out the fixes
	// it found to break a test.
	Leave func(analyzer, file string, line int, message string) string
}

// Fate is what happened to one fix.
type Fate string

// The fates of a fix.
const (
	Applied    Fate = "applied"
	Conflict   Fate = "conflict"
	RolledBack Fate = "rolled back"
	Skipped    Fate = "skipped"
)

// Outcome reports one finding and what became of its fix.
type Outcome struct {
	Analyzer string    `json:"analyzer"`
	Category string    `json:"category,omitempty"`
	File     string    `json:"file"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Message  string    `json:"message"`
	Fix      string    `json:"fix,omitempty"`
	Tier     tier.Tier `json:"tier,omitempty"`
	Fate     Fate      `json:"fate"`
	Reason   string    `json:"reason,omitempty"`
	Round    int       `json:"round"`
}

// Result is the outcome of a run.
type Result struct {
	// Original holds the starting content of every file that changed.
	Original map[string][]byte
	// Changed holds the final content of every file that changed.
	Changed map[string][]byte
	// Outcomes lists every finding met, with its fate, sorted by position.
	Outcomes []Outcome
	// Rounds is the number of rounds that applied fixes.
	Rounds int
	// Converged is true when a final analysis found nothing left to fix.
	Converged bool
	// Oscillation is set when rewrites undid each other; the run stopped
	// before the repeating round.
	Oscillation string
	// Excluded lists files of the packages that the build configuration
	// excluded (build tags, GOOS/GOARCH): they were not analyzed or fixed.
	Excluded []string
}

// LoadError is returned when the input does not load or type-check before
// any fix was applied: the run changes nothing.
type LoadError struct {
	Errors []string
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("%d error(s) in the input; nothing was changed:\n%s", len(e.Errors), strings.Join(e.Errors, "\n"))
}

// key identifies a finding across rounds, where positions shift: by its
// analyzer, file, message and its offset in the original file (positions
// in later rounds are mapped back through the edits applied so far).
type key struct {
	analyzer, file, message string
	off                     int
}

type candidate struct {
	key
	message  string
	fixMsg   string // the chosen fix's message, "[tier] what it does"
	pos      token.Position
	category string
	edits    []edit
}

// found is a finding as either way of analysis delivers it (in this
// process, or through go vet): positions with byte offsets into the text
// that was analyzed, fixes as byte-offset edits of the finding's file.
type found struct {
	analyzer, category, message string
	pos                         token.Position
	fixes                       []proposal
	// noFix is the analyzer's reason for offering no fix, if it gave one.
	noFix string
}

// proposal is one suggested fix; err says why it cannot be applied.
type proposal struct {
	message string
	edits   []edit
	err     error
}

type edit struct {
	start, end int
	text       string
}

type engine struct {
	opts     Options
	content  map[string][]byte // current content of changed files (the overlay)
	original map[string][]byte
	outcomes map[key]*Outcome
	blocked  map[key]string // fixes rolled back: never re-applied
	// layers holds, per changed file, the edits of each round that
	// changed it, to map positions back to the original file.
	layers   map[string][]layer
	excluded map[string]bool
	// graph is the packages of round 1 with their imports (go vet mode):
	// a later round analyzes the importers of what changed too.
	graph map[string]*govet.Package
	// found holds the findings of the latest analysis, fixed or not.
	found map[key]bool
}

// Run applies fixes until a fixpoint. It returns a *LoadError when the
// input itself does not load, and other errors for failures of the tool.
func Run(ctx context.Context, opts Options) (*Result, error) {
	// The engine applies fixes, and chooses among the tiers itself: the
	// analyzers must build them all.
	defer rewrite.SetWanted(rewrite.SetWanted(true))
	defer rewrite.SetMaxTier(rewrite.SetMaxTier(tier.Behavior))
	if opts.MaxRounds <= 0 {
		opts.MaxRounds = 5
	}
	if opts.Tier == "" {
		opts.Tier = tier.Safe
	}
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"./..."}
	}
	e := &engine{
		opts:     opts,
		content:  map[string][]byte{},
		original: map[string][]byte{},
		outcomes: map[key]*Outcome{},
		blocked:  map[key]string{},
		layers:   map[string][]layer{},
		excluded: map[string]bool{},
	}
	return e.run(ctx)
}

func (e *engine) progress(format string, args ...any) {
	if e.opts.Progress != nil {
		e.opts.Progress(fmt.Sprintf(format, args...))
	}
}

func (e *engine) run(ctx context.Context) (*Result, error) {
	res := &Result{}
	patterns := e.opts.Patterns
	states := map[[32]byte]int{}
	var last roundChanges
	for round := 1; ; round++ {
		// The round after the last one only checks that the fixes
		// compile.
		checkOnly := round > e.opts.MaxRounds+1
		an, err := e.analyze(ctx, round, patterns, &last, checkOnly)
		if err != nil {
			return nil, err
		}
		if checkOnly {
			break
		}
		cands := e.candidates(round, an)
		if len(cands) == 0 {
			res.Converged = true
			break
		}
		if round > e.opts.MaxRounds {
			for _, c := range cands {
				e.record(c, Conflict, round, "not applied: no fixpoint within "+fmt.Sprint(e.opts.MaxRounds)+" rounds")
			}
			break
		}
		e.progress("round %d: applying %d fixes", round, len(cands))
		before, applied, err := e.apply(cands, round)
		if err != nil {
			return nil, err
		}
		if len(applied) == 0 {
			res.Converged = true
			break
		}
		h := e.stateHash()
		if prev, ok := states[h]; ok {
			res.Oscillation = e.undoRound(round, prev, before, applied)
			break
		}
		states[h] = round
		res.Rounds = round
		last = roundChanges{before: before, applied: applied}
		patterns = an.touched(before)
	}
	e.fillResult(res)
	return res, nil
}

// analyzed is what one round's analysis gave the engine.
type analyzed struct {
	found []found
	// covers reports whether the round analyzed a file.
	covers func(file string) bool
	// touched returns the patterns the next round analyzes, given the
	// files this round's fixes changed.
	touched func(changed map[string][]byte) []string
}

// analyze loads, type-checks and analyzes the round's packages, in this
// process or through go vet. The input of round 1 must type-check; in
// later rounds the files of the previous round that broke their package
// are rolled back until the packages type-check.
func (e *engine) analyze(ctx context.Context, round int, patterns []string, last *roundChanges, checkOnly bool) (*analyzed, error) {
	if e.opts.Tool != "" {
		return e.analyzeGoVet(ctx, round, patterns, last)
	}
	pkgs, err := e.loadRound(ctx, round, patterns, last)
	if err != nil {
		return nil, err
	}
	files := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, f := range p.CompiledGoFiles {
			files[f] = true
		}
	})
	an := &analyzed{
		covers:  func(file string) bool { return files[file] },
		touched: func(changed map[string][]byte) []string { return touchedPatterns(pkgs, changed) },
	}
	if checkOnly {
		return an, nil
	}
	e.progress("round %d: analyzing %d packages", round, len(pkgs))
	graph, err := checker.Analyze(e.analyzers(), pkgs, nil)
	if err != nil {
		return nil, fmt.Errorf("running analyzers: %w", err)
	}
	var unused map[string]bool
	var failures []govet.Failure
	an.found, unused, failures = fromGraph(graph)
	if err := failureError(failures); err != nil {
		return nil, err
	}
	if round == 1 {
		var ds []govet.Directive
		for _, p := range pkgs {
			for _, f := range p.Syntax {
				if suppress.IsGenerated(f) {
					continue
				}
				for _, d := range suppress.Parse(p.Fset, f) {
					if len(d.Analyzers) > 0 && d.Reason != "" {
						ds = append(ds, govet.Directive{Pos: p.Fset.Position(d.Pos), Analyzers: d.Analyzers, Reason: d.Reason})
					}
				}
			}
		}
		e.recordSuppressed(unused, ds)
	}
	return an, nil
}

// roundChanges is what a round changed: each file's content before it, and
// the fixes applied to each, for rollback.
type roundChanges struct {
	before  map[string][]byte
	applied map[string][]*candidate
}

// loadRound loads and type-checks the packages of a round in this process,
// rolling back the files of the previous round that broke their package.
func (e *engine) loadRound(ctx context.Context, round int, patterns []string, last *roundChanges) ([]*packages.Package, error) {
	for {
		e.progress("round %d: loading and type-checking", round)
		pkgs, err := e.load(ctx, patterns)
		if err != nil {
			return nil, err
		}
		errs := packageErrors(pkgs)
		if len(errs) == 0 {
			if round == 1 {
				e.recordExcluded(pkgs)
			}
			return pkgs, nil
		}
		if round == 1 {
			return nil, &LoadError{Errors: errorStrings(errs, e.opts.Dir)}
		}
		bad := e.culprits(errs, pkgs, last.before)
		if len(bad) == 0 {
			return nil, fmt.Errorf("fixed code does not type-check, and no changed file is to blame:\n%s", strings.Join(errorStrings(errs, e.opts.Dir), "\n"))
		}
		e.rollbackAll(bad, last)
	}
}

// rollbackAll restores the files to blame for a round's breakage.
func (e *engine) rollbackAll(bad map[string]string, last *roundChanges) {
	for file, reason := range bad {
		e.rollback(file, last.before[file], last.applied[file], reason)
		delete(last.before, file)
	}
}

// undoRound restores the files a round changed when it brought them back
// to the state after round prev (rewrites that undo each other), records
// its fixes as conflicts, and says what happened.
func (e *engine) undoRound(round, prev int, before map[string][]byte, applied map[string][]*candidate) string {
	for file, old := range before {
		e.setContent(file, old)
		e.popLayer(file)
	}
	for _, cs := range applied {
		for _, c := range cs {
			e.record(c, Conflict, round, "undone: it reverses another fix")
		}
	}
	return fmt.Sprintf("round %d recreated the state after round %d: rewrites undo each other", round, prev)
}

// fillResult puts the changed files and every fix's outcome into res.
func (e *engine) fillResult(res *Result) {
	res.Original = map[string][]byte{}
	res.Changed = map[string][]byte{}
	for file, now := range e.content {
		if string(now) != string(e.original[file]) {
			res.Original[file] = e.original[file]
			res.Changed[file] = now
		}
	}
	for _, o := range e.outcomes {
		res.Outcomes = append(res.Outcomes, *o)
	}
	sort.Slice(res.Outcomes, func(i, j int) bool {
		a, b := res.Outcomes[i], res.Outcomes[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Analyzer < b.Analyzer
	})
	for f := range e.excluded {
		res.Excluded = append(res.Excluded, f)
	}
	slices.Sort(res.Excluded)
}

// analyzers wraps the analyzers so that pass.ReadFile, which fixes use to
// compute their edits, returns the in-progress content of changed files:
// the checker reads from disk, while the syntax came from the overlay.
func (e *engine) analyzers() []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(e.opts.Analyzers))
	for i, a := range e.opts.Analyzers {
		w := *a
		run := a.Run
		w.Run = func(pass *analysis.Pass) (any, error) {
			read := pass.ReadFile
			pass.ReadFile = func(name string) ([]byte, error) {
				if b, ok := e.content[name]; ok {
					return b, nil
				}
				return read(name)
			}
			return run(pass)
		}
		out[i] = &w
	}
	return out
}

func (e *engine) load(ctx context.Context, patterns []string) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.LoadAllSyntax | packages.NeedModule,
		Dir:     e.opts.Dir,
		Tests:   e.opts.Tests,
		Overlay: e.content,
	}
	if e.opts.Tags != "" {
		cfg.BuildFlags = []string{"-tags=" + e.opts.Tags}
	}
	cfg.BuildFlags = append(cfg.BuildFlags, e.opts.BuildFlags...)
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, &LoadError{Errors: []string{"no packages match " + strings.Join(patterns, " ")}}
	}
	return pkgs, nil
}

func packageErrors(pkgs []*packages.Package) []packages.Error {
	var out []packages.Error
	seen := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, err := range p.Errors {
			if k := err.Pos + err.Msg; !seen[k] {
				seen[k] = true
				out = append(out, err)
			}
		}
	})
	return out
}

func errorStrings(errs []packages.Error, dir string) []string {
	var out []string
	seen := map[string]bool{} // the same error can come with an absolute and a relative position
	for _, err := range errs {
		pos := err.Pos
		if rel, e := filepath.Rel(dir, pos); e == nil && !strings.HasPrefix(rel, "..") {
			pos = rel
		}
		line := err.Msg
		if pos != "" && pos != "-" {
			line = pos + ": " + err.Msg
		}
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	return out
}

func (e *engine) recordExcluded(pkgs []*packages.Package) {
	for _, p := range pkgs {
		for _, f := range p.IgnoredFiles {
			if strings.HasSuffix(f, ".go") {
				e.excluded[f] = true
			}
		}
	}
}

// posKey names a position by file, line and column, the same whichever
// way of analysis reported it.
func posKey(p token.Position) string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// recordSuppressed notes the findings that were not fixed because a
// //upshift:ignore directive silenced them. unused holds the places of
// directives that suppressed nothing or have no reason (posKey); ds are
// the directives with a reason, from files not generated (a generated
// file's findings are dropped without one).
func (e *engine) recordSuppressed(unused map[string]bool, ds []govet.Directive) {
	names := map[string]bool{}
	for _, a := range e.opts.Analyzers {
		names[a.Name] = true
	}
	for _, d := range ds {
		if unused[posKey(d.Pos)] || (!e.opts.Tests && strings.HasSuffix(d.Pos.Filename, "_test.go")) {
			continue
		}
		for _, a := range d.Analyzers {
			if !names[a] {
				continue
			}
			k := key{analyzer: a, file: d.Pos.Filename, message: "suppressed at line " + fmt.Sprint(d.Pos.Line)}
			e.outcomes[k] = &Outcome{Analyzer: a, File: d.Pos.Filename, Line: d.Pos.Line, Column: d.Pos.Column,
				Message: "finding suppressed by //upshift:ignore", Fate: Skipped, Reason: "suppressed: " + d.Reason, Round: 1}
		}
	}
}

// fromGraph turns the diagnostics of the root actions into findings. It
// also returns where a suppression directive went unused (or had no
// reason), and each distinct analyzer failure once.
func fromGraph(graph *checker.Graph) (out []found, unused map[string]bool, failures []govet.Failure) {
	unused = map[string]bool{}
	for act := range graph.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			failures = append(failures, govet.Failure{Package: act.Package.PkgPath, Analyzer: act.Analyzer.Name, Err: act.Err.Error()})
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			pos := fset.Position(d.Pos)
			if d.Category == "suppression" {
				unused[posKey(pos)] = true
			}
			f := found{analyzer: act.Analyzer.Name, category: d.Category, message: d.Message, pos: pos}
			for _, r := range d.Related {
				if strings.HasPrefix(r.Message, rewrite.NoFixPrefix) {
					f.noFix = r.Message
					break
				}
			}
			for _, sf := range d.SuggestedFixes {
				edits, err := toEdits(fset, pos.Filename, sf)
				f.fixes = append(f.fixes, proposal{message: sf.Message, edits: edits, err: err})
			}
			out = append(out, f)
		}
	}
	return out, unused, failures
}

// failureError says what the analyzers failed on, each distinct failure
// once: a bad analyzer flag fails every package alike.
func failureError(failures []govet.Failure) error {
	if len(failures) == 0 {
		return nil
	}
	var lines []string
	seen := map[string]bool{}
	for _, f := range failures {
		msg := f.Analyzer + ": " + f.Err
		if !seen[msg] {
			seen[msg] = true
			lines = append(lines, fmt.Sprintf("%s (in %s)", msg, f.Package))
		}
	}
	return fmt.Errorf("analyzer failures:\n%s", strings.Join(lines, "\n"))
}

// candidates returns the fixes to apply this round, one per finding,
// deduped across test variants, in file and position order, and records
// why the other findings get none.
func (e *engine) candidates(round int, an *analyzed) []*candidate {
	e.found = map[key]bool{}
	seen := map[string]bool{}
	var out []*candidate
	for _, f := range an.found {
		if f.category == "suppression" {
			continue
		}
		if !e.opts.Tests && strings.HasSuffix(f.pos.Filename, "_test.go") {
			continue
		}
		id := fmt.Sprintf("%s\x00%s\x00%d\x00%s", f.analyzer, f.pos.Filename, f.pos.Offset, f.message)
		if seen[id] {
			continue // test variants of a package repeat findings
		}
		seen[id] = true
		k := key{analyzer: f.analyzer, file: f.pos.Filename, message: f.message, off: e.toOriginal(f.pos.Filename, f.pos.Offset)}
		e.found[k] = true
		c := &candidate{key: k, message: f.message, pos: f.pos, category: f.category}
		if reason, ok := e.blocked[k]; ok {
			e.record(c, RolledBack, 0, reason)
			continue
		}
		if e.opts.Leave != nil {
			line, _ := e.originalLineCol(c)
			if reason := e.opts.Leave(c.analyzer, c.file, line, f.message); reason != "" {
				e.record(c, Skipped, 0, reason)
				continue
			}
		}
		p, skip := e.chooseFix(f)
		if skip != "" {
			e.record(c, Skipped, 0, skip)
			continue
		}
		c.fixMsg = p.message
		if p.err != nil {
			e.record(c, Skipped, 0, p.err.Error())
			continue
		}
		c.edits = p.edits
		out = append(out, c)
	}
	if round > 1 {
		e.dropStale(an.covers)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pos.Filename != out[j].pos.Filename {
			return out[i].pos.Filename < out[j].pos.Filename
		}
		return out[i].pos.Offset < out[j].pos.Offset
	})
	return out
}

// dropStale forgets the unfixed findings of files analyzed again that the
// new analysis no longer reports: another fix rewrote their code (a
// slices.Collect that maporder made a slices.Sorted is reported afresh,
// with its own message), so they describe code that no longer exists and
// would be listed next to their successors.
func (e *engine) dropStale(analyzed func(file string) bool) {
	// Where each analyzer found something this round, whatever it said.
	type place struct {
		analyzer, file string
		off            int
	}
	foundAt := map[place]bool{}
	for k := range e.found {
		foundAt[place{k.analyzer, k.file, k.off}] = true
	}
	for k, o := range e.outcomes {
		if o.Fate == Applied || strings.HasPrefix(o.Reason, "suppressed: ") || !analyzed(k.file) || e.found[k] {
			continue
		}
		// A finding that is not found again is stale when a fix rewrote
		// its code, or when the analyzer now says something else at the
		// same place (it is reported again under its new message or
		// place). A note about code no fix touched (a review note of a
		// move) stays.
		if e.rewritten(k.file, k.off) || foundAt[place{k.analyzer, k.file, k.off}] {
			delete(e.outcomes, k)
		}
	}
}

// rewritten reports whether the original offset off of file lies in text
// that an applied edit replaced (or at an insertion point).
func (e *engine) rewritten(file string, off int) bool {
	layers := e.layers[file]
	for i := range layers {
		for j, eds := range layers[i] {
			for _, ed := range eds {
				start, end := e.throughEarlier(layers, i, j, ed.Start), e.throughEarlier(layers, i, j, ed.End)
				if start <= off && (off < end || off == start) {
					return true
				}
			}
		}
	}
	return false
}

// throughEarlier maps an offset in the text that edit list j of layer i
// applied to back to the original file, through the lists before it.
func (e *engine) throughEarlier(layers []layer, i, j, off int) int {
	for jj := j - 1; jj >= 0; jj-- {
		off = back(layers[i][jj], off)
	}
	for ii := i - 1; ii >= 0; ii-- {
		for jj := len(layers[ii]) - 1; jj >= 0; jj-- {
			off = back(layers[ii][jj], off)
		}
	}
	return off
}

// chooseFix picks the first fix within the tier, or says why none applies.
func (e *engine) chooseFix(f found) (proposal, string) {
	if len(f.fixes) == 0 {
		if f.noFix != "" {
			return proposal{}, f.noFix
		}
		return proposal{}, "no automatic fix for this finding: fix it by hand"
	}
	for _, p := range f.fixes {
		if e.opts.Tier == tier.Behavior || tierOf(p.message) == tier.Safe {
			return p, ""
		}
	}
	return proposal{}, "behavior tier: the fix changes output; apply with -tier=behavior"
}

// tierOf is the tier a fix's message starts with.
func tierOf(message string) tier.Tier {
	return rewrite.TierOf(analysis.SuggestedFix{Message: message})
}

func toEdits(fset *token.FileSet, filename string, fix analysis.SuggestedFix) ([]edit, error) {
	var out []edit
	for _, te := range fix.TextEdits {
		tf := fset.File(te.Pos)
		if tf == nil || tf.Name() != filename {
			return nil, errors.New("fix edits another file than its finding; not supported")
		}
		end := te.End
		if !end.IsValid() {
			end = te.Pos
		}
		out = append(out, edit{start: tf.Offset(te.Pos), end: tf.Offset(end), text: string(te.NewText)})
	}
	sortEdits(out)
	return out, nil
}

// sortEdits puts a fix's edits in the order applyEdits takes.
func sortEdits(edits []edit) {
	sort.Slice(edits, func(i, j int) bool { return editBefore(edits[i], edits[j]) })
}

// apply applies every candidate whose edits do not overlap an earlier one
// in the same file; the rest are left for the next round, where their
// findings are computed afresh on the new text.
func (e *engine) apply(cands []*candidate, round int) (before map[string][]byte, applied map[string][]*candidate, err error) {
	before = map[string][]byte{}
	applied = map[string][]*candidate{}
	byFile := map[string][]*candidate{}
	var files []string
	for _, c := range cands {
		if byFile[c.pos.Filename] == nil {
			files = append(files, c.pos.Filename)
		}
		byFile[c.pos.Filename] = append(byFile[c.pos.Filename], c)
	}
	for _, file := range files {
		src, err := e.current(file)
		if err != nil {
			return nil, nil, err
		}
		var accepted []edit
		var took []*candidate
		for _, c := range byFile[file] {
			if sameAsTaken(took, c) {
				// Findings that share one fix (a file-level rewrite)
				// are all applied by it.
				took = append(took, c)
				continue
			}
			// An edit identical to one already accepted (the same import
			// added by two fixes) is shared, not a conflict.
			own := slices.DeleteFunc(slices.Clone(c.edits), func(ed edit) bool { return slices.Contains(accepted, ed) })
			if overlaps(accepted, own) {
				e.record(c, Conflict, round, "overlaps another fix in this round; retried in the next round")
				continue
			}
			accepted = append(accepted, own...)
			took = append(took, c)
		}
		sort.Slice(accepted, func(i, j int) bool { return editBefore(accepted[i], accepted[j]) })
		out := applyEdits(src, accepted)
		formatted, err := format.Source(out)
		if err != nil {
			for _, c := range took {
				e.record(c, RolledBack, round, "the fixed file does not parse: "+err.Error())
				e.blocked[c.key] = "the fixed file does not parse: " + err.Error()
			}
			continue
		}
		if string(formatted) == string(src) {
			continue
		}
		before[file] = src
		e.setContent(file, formatted)
		e.layers[file] = append(e.layers[file], roundLayer(accepted, out, formatted))
		applied[file] = took
		for _, c := range took {
			e.record(c, Applied, round, "")
		}
	}
	return before, applied, nil
}

// sameAsTaken reports whether c's edits are exactly those of a candidate
// already taken.
func sameAsTaken(took []*candidate, c *candidate) bool {
	for _, t := range took {
		if slices.Equal(t.edits, c.edits) {
			return true
		}
	}
	return false
}

func overlaps(accepted, edits []edit) bool {
	for _, a := range accepted {
		for _, b := range edits {
			if a.start < b.end && b.start < a.end {
				return true
			}
			// Two insertions at one point would interleave unpredictably.
			if a.start == a.end && b.start == b.end && a.start == b.start {
				return true
			}
			// An insertion inside a replaced range or at either of its
			// ends: two fixes rewriting one spot (both editing an import
			// block) would splice their texts together.
			if (a.start == a.end && b.start < b.end && b.start <= a.start && a.start <= b.end) || (b.start == b.end && a.start < a.end && a.start <= b.start && b.start <= a.end) {
				return true
			}
		}
	}
	return false
}

// editBefore orders edits for applyEdits: by start, and an insertion
// before a replacement that starts at the same offset (the other order
// would apply the insertion after the replaced range was consumed).
func editBefore(a, b edit) bool {
	if a.start != b.start {
		return a.start < b.start
	}
	return a.end < b.end
}

func applyEdits(src []byte, edits []edit) []byte {
	var out []byte
	last := 0
	for _, ed := range edits {
		out = append(out, src[last:ed.start]...)
		out = append(out, ed.text...)
		last = ed.end
	}
	return append(out, src[last:]...)
}

func (e *engine) current(file string) ([]byte, error) {
	if b, ok := e.content[file]; ok {
		return b, nil
	}
	// A file read before and not changed since (or rolled back) is its
	// original: findings through go vet need each file's text once, not
	// once per finding.
	if b, ok := e.original[file]; ok {
		return b, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	e.original[file] = b
	return b, nil
}

func (e *engine) setContent(file string, b []byte) {
	if _, ok := e.original[file]; !ok {
		if orig, err := os.ReadFile(file); err == nil {
			e.original[file] = orig
		}
	}
	e.content[file] = b
}

func (e *engine) stateHash() [32]byte {
	files := make([]string, 0, len(e.content))
	for f := range e.content {
		files = append(files, f)
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(e.content[f]))
		h.Write(e.content[f])
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// culprits maps each file changed in the last round to the error that
// blames it: an error inside the file, or any error in a package that
// contains a changed file (an unused import elsewhere, a duplicate name).
func (e *engine) culprits(errs []packages.Error, pkgs []*packages.Package, lastRound map[string][]byte) map[string]string {
	bad := map[string]string{}
	for _, err := range errs {
		file := err.Pos
		if i := strings.Index(file, ":"); i >= 0 {
			file = file[:i]
		}
		if _, ok := lastRound[file]; ok {
			if _, seen := bad[file]; !seen {
				bad[file] = err.Msg
			}
		}
	}
	if len(bad) > 0 {
		return bad
	}
	// The error sits in an unchanged file: blame the changed files of the
	// packages with errors.
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if len(p.Errors) == 0 {
			return
		}
		for _, f := range p.CompiledGoFiles {
			if _, ok := lastRound[f]; ok {
				if _, seen := bad[f]; !seen {
					bad[f] = p.Errors[0].Msg
				}
			}
		}
	})
	return bad
}

func (e *engine) rollback(file string, old []byte, cands []*candidate, reason string) {
	e.setContent(file, old)
	e.popLayer(file)
	if string(old) == string(e.original[file]) {
		delete(e.content, file)
	}
	for _, c := range cands {
		msg := "the fixed code does not compile: " + reason
		e.blocked[c.key] = msg
		e.record(c, RolledBack, 0, msg)
	}
}

// record keeps the latest fate of a finding. A finding that was applied in
// an earlier round and reappears is a new instance with the same text.
func (e *engine) record(c *candidate, fate Fate, round int, reason string) {
	o, ok := e.outcomes[c.key]
	if ok && o.Fate == Applied && fate != RolledBack {
		return
	}
	if !ok {
		line, col := e.originalLineCol(c)
		o = &Outcome{Analyzer: c.analyzer, Category: c.category, File: c.file, Line: line, Column: col, Message: c.message}
		e.outcomes[c.key] = o
	}
	o.Fix = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(c.fixMsg, "[safe]"), "[behavior]"))
	if c.fixMsg != "" {
		o.Tier = tierOf(c.fixMsg)
	}
	o.Fate, o.Reason = fate, reason
	if round > 0 {
		o.Round = round
	}
}

// touchedPatterns returns package patterns for the directories of changed
// files: later rounds re-analyze and type-check only those packages.
func touchedPatterns(pkgs []*packages.Package, changed map[string][]byte) []string {
	set := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, f := range p.CompiledGoFiles {
			if _, ok := changed[f]; ok && p.PkgPath != "" {
				set[strings.TrimSuffix(p.PkgPath, "_test")] = true
			}
		}
	})
	var out []string
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// popLayer forgets the last round's edits of file (rolled back).
func (e *engine) popLayer(file string) {
	if n := len(e.layers[file]); n > 0 {
		e.layers[file] = e.layers[file][:n-1]
	}
}

// toOriginal maps an offset in the current content of file back to the
// original file. An offset inside text a fix inserted maps to the start
// of the text it replaced.
func (e *engine) toOriginal(file string, off int) int {
	layers := e.layers[file]
	for i := len(layers) - 1; i >= 0; i-- {
		for j := len(layers[i]) - 1; j >= 0; j-- {
			off = back(layers[i][j], off)
		}
	}
	return off
}

// A layer is what one round did to a file: lists of edits applied one
// after the other.
type layer [][]udiff.Edit

// roundLayer records a round's change of a file as the fixes' own edits
// followed by what gofmt changed. A diff of the whole file would be
// simpler but is not exact: the diff gives up on minimal edits beyond
// about a hundred changed bytes, and its large edits would map unchanged
// code (a finding that is not fixed) onto the start of another fix,
// reporting it at the wrong line and, under a new key, twice.
func roundLayer(accepted []edit, out, formatted []byte) layer {
	fixes := make([]udiff.Edit, len(accepted))
	for i, ed := range accepted {
		fixes[i] = udiff.Edit{Start: ed.start, End: ed.end, New: ed.text}
	}
	l := layer{fixes}
	if string(out) != string(formatted) {
		l = append(l, udiff.Bytes(out, formatted))
	}
	return l
}

// back maps an offset in the text after edits to the text before them.
func back(edits []udiff.Edit, off int) int {
	delta := 0 // length after minus length before, for the edits passed
	for _, ed := range edits {
		start := ed.Start + delta
		if off < start {
			break
		}
		if off < start+len(ed.New) {
			return ed.Start
		}
		delta += len(ed.New) - (ed.End - ed.Start)
	}
	return off - delta
}

// originalLineCol is the line and column of a candidate's finding in the
// original file, where the diff and the user look.
func (e *engine) originalLineCol(c *candidate) (int, int) {
	src, ok := e.original[c.file]
	if !ok || len(e.layers[c.file]) == 0 || c.off > len(src) {
		return c.pos.Line, c.pos.Column
	}
	line, col := 1, 1
	for _, b := range src[:c.off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
