package migratecmd

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	gover "go/version"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/loopvar"
	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/internal/godebugs"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/bump"
	"github.com/upshift-dev/upshift/rewrite/engine"
)

// goLine turns a go.mod go version ("1.20", "1.21.3") into a language
// version ("go1.20", "go1.21").
func goLine(v string) string { return gover.Lang("go" + strings.TrimPrefix(v, "go")) }

func compareLines(a, b string) int { return gover.Compare(a, b) }

// bump is stage 1: the go line raised with every flipped default pinned.
func (m *migration) bump(ctx context.Context) (bool, error) {
	s, start := m.begin(1, "neutral bump")
	before, err := defaultGodebug(ctx, m.dir, m.opts.patterns)
	if err != nil {
		return false, err
	}
	res, err := bump.PlanModule(ctx, m.dir, m.opts.target, true)
	if err != nil {
		return false, err
	}
	batch := map[string][]byte{filepath.Join(m.dir, "go.mod"): res.New}
	for _, lf := range res.Loops {
		batch[lf.Path] = lf.New
		m.loopFiles = append(m.loopFiles, m.rel(lf.Path))
	}
	if err := atomicfile.WriteAll(batch); err != nil {
		return false, err
	}
	s.Notes = append(s.Notes, fmt.Sprintf("go line %s -> %s; %d GODEBUG setting(s) pinned to their old values.", res.From, res.To, len(res.Pinned)))
	if err := m.vetGate(ctx, s); err != nil {
		return false, err
	}
	if len(res.Kept) > 0 {
		s.Notes = append(s.Notes, "Already set in go.mod, left alone: "+strings.Join(res.Kept, ", ")+".")
	}
	if len(res.Loops) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Kept at go1.21 by a //go:build line (loops change meaning at go1.22): %s.", strings.Join(m.loopFiles, ", ")))
	}
	after, err := defaultGodebug(ctx, m.dir, m.opts.patterns)
	if err != nil {
		return false, err
	}
	// A default the go command gives the old go line that the bump did
	// not pin (a toolchain whose table of flips lags its go command): pin
	// what the baseline had, so that the bump stays neutral, and let
	// stage 4 decide on it like on the others.
	if extra := missedDefaults(before, after); len(extra) > 0 {
		if err := m.pinExtra(extra); err != nil {
			return false, err
		}
		var names []string
		for _, kv := range extra {
			names = append(names, kv[0]+"="+kv[1])
		}
		s.Notes = append(s.Notes, "Also pinned, from the baseline's DefaultGODEBUG (defaults older than the flips table lists): "+strings.Join(names, ", ")+".")
		if after, err = defaultGodebug(ctx, m.dir, m.opts.patterns); err != nil {
			return false, err
		}
	}
	diff := godebugDiff(before, after)
	ok, err := m.finishWith(ctx, s, start, func() {
		if len(diff) > 0 {
			s.Verified = false
			s.NewFailures = append(s.NewFailures, "DefaultGODEBUG changed: "+strings.Join(diff, "; "))
		} else {
			s.Notes = append(s.Notes, "DefaultGODEBUG of every test and main package is the same as at the baseline.")
		}
	})
	return ok, err
}

// finishWith is finish with a last check run after the tests.
func (m *migration) finishWith(ctx context.Context, s *Stage, start time.Time, check func()) (bool, error) {
	s.check = check
	return m.finish(ctx, s, start)
}

// defaultGodebug returns the DefaultGODEBUG of every main and test
// package: what the go line and the pins give the binaries.
func defaultGodebug(ctx context.Context, dir string, patterns []string) (map[string]string, error) {
	args := append([]string{"list", "-test", "-e", "-f", "{{if .DefaultGODEBUG}}{{.ImportPath}}\t{{.DefaultGODEBUG}}{{end}}"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, tailLines(stderr.String(), 10))
	}
	res := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if p, v, ok := strings.Cut(l, "\t"); ok {
			res[p] = v
		}
	}
	return res, nil
}

// missedDefaults returns the settings (name, value) that a package's
// DefaultGODEBUG had before the bump and lost after it, sorted.
func missedDefaults(before, after map[string]string) [][2]string {
	seen := map[string]bool{}
	var out [][2]string
	for p, b := range before {
		a, ok := after[p]
		if !ok {
			continue
		}
		as := settingsOf(a)
		for k, v := range settingsOf(b) {
			if _, ok := as[k]; !ok && !seen[k] {
				seen[k] = true
				out = append(out, [2]string{k, v})
			}
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// pinExtra adds godebug lines to the worktree's go.mod.
func (m *migration) pinExtra(kvs [][2]string) error {
	path := filepath.Join(m.dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if err := f.AddGodebug(kv[0], kv[1]); err != nil {
			return err
		}
	}
	for _, g := range f.Godebug {
		for _, kv := range kvs {
			if g.Key == kv[0] && g.Syntax != nil {
				g.Syntax.Comments.Suffix = []modfile.Comment{{Token: "// the baseline's default (upshift migrate)", Suffix: true}}
			}
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, out)
}

// godebugDiff names the settings whose default differs between two
// DefaultGODEBUG listings.
func godebugDiff(before, after map[string]string) []string {
	var out []string
	for p, b := range before {
		a, ok := after[p]
		if !ok {
			continue
		}
		bs, as := settingsOf(b), settingsOf(a)
		var d []string
		for k, v := range bs {
			if as[k] != v {
				d = append(d, fmt.Sprintf("%s=%s->%s", k, v, cmp.Or(as[k], "(new default)")))
			}
		}
		for k, v := range as {
			if _, ok := bs[k]; !ok {
				d = append(d, fmt.Sprintf("%s=(default)->%s", k, v))
			}
		}
		if len(d) > 0 {
			slices.Sort(d)
			out = append(out, p+": "+strings.Join(d, ", "))
		}
	}
	slices.Sort(out)
	return out
}

func settingsOf(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

// safeFixes is stage 2.
func (m *migration) safeFixes(ctx context.Context) (bool, error) {
	s, start := m.begin(2, "safe fixes")
	if err := m.applyFixes(ctx, s, registry.Analyzers(), tier.Safe); err != nil {
		return false, err
	}
	return m.finish(ctx, s, start)
}

// behaviorFixes is stage 3: one commit per analyzer that has behavior
// fixes to apply. With -tier=behavior that is every analyzer; at the safe
// tier only the checks marked TestVerified (maporder), whose fixes are
// unsafe only because a test could observe the order they change: the
// stage runs the tests, and leaves out (and names) the fixes that break
// one, so what it keeps no test observes.
func (m *migration) behaviorFixes(ctx context.Context) (bool, error) {
	as, what := stage3Analyzers(m.opts.tier)
	if len(as) == 0 {
		fmt.Fprintf(m.env.Stderr, "upshift migrate: stage 3 behavior fixes: skipped (-tier=%s)\n", m.opts.tier)
		return true, nil
	}
	dry, err := m.engine(ctx, as, tier.Behavior, nil)
	if err != nil {
		return false, err
	}
	has := map[string]bool{}
	for _, o := range dry.Outcomes {
		if o.Fate == engine.Applied && o.Tier == tier.Behavior {
			has[o.Analyzer] = true
		}
	}
	any := false
	for _, a := range as {
		if !has[a.Name] {
			continue
		}
		any = true
		s, start := m.begin(3, what+": "+a.Name)
		if m.opts.tier != tier.Behavior {
			s.Notes = append(s.Notes, fmt.Sprintf("%s's fixes are behavior tier only because a test can observe the order they change; at -tier=%s this stage keeps the ones every test that passed at the baseline still passes with, and names the others.", a.Name, m.opts.tier))
		}
		if err := m.applyFixes(ctx, s, []*analysis.Analyzer{a}, tier.Behavior); err != nil {
			return false, err
		}
		if ok, err := m.finish(ctx, s, start); !ok || err != nil {
			return ok, err
		}
	}
	if !any && !slices.ContainsFunc(m.stages, func(s Stage) bool { return s.N == 3 }) {
		s, start := m.begin(3, what+": none to apply")
		return m.finish(ctx, s, start)
	}
	return true, nil
}

// stage3Analyzers returns the analyzers whose behavior-tier fixes stage 3
// applies at tier t, and the stage's name.
func stage3Analyzers(t tier.Tier) ([]*analysis.Analyzer, string) {
	if t == tier.Behavior {
		return registry.Analyzers(), "behavior fixes"
	}
	var as []*analysis.Analyzer
	for _, c := range registry.Checks() {
		if c.TestVerified && c.Analyzer != nil {
			as = append(as, c.Analyzer)
		}
	}
	return as, "test-verified fixes"
}

// processWide holds the settings that act on the whole process, with no
// code site an analyzer could find: the report names them with their
// effect, since dropping their pin changes the service's environment.
var processWide = map[string]bool{
	"containermaxprocs":   true,
	"updatemaxprocs":      true,
	"multipathtcp":        true,
	"decoratemappings":    true,
	"gotestjsonbuildtext": true,
	"asyncpreemptoff":     true,
}

// unpin is stage 4: every pin whose setting no finding reaches is
// dropped, unless a test that passed at the baseline then fails.
func (m *migration) unpin(ctx context.Context) (bool, error) {
	s, start := m.begin(4, "unpin")
	pins, err := m.pins()
	if err != nil {
		return false, err
	}
	fs, err := m.findings(ctx)
	if err != nil {
		return false, err
	}
	reach := fs.reach()
	var kept, candidates []string
	reasons := map[string]string{}
	for _, p := range pins {
		if sites := reach[p]; len(sites) > 0 {
			kept = append(kept, p)
			reasons[p] = "finding " + sites[0]
			if len(sites) > 1 {
				reasons[p] += fmt.Sprintf(" (and %d more)", len(sites)-1)
			}
			continue
		}
		candidates = append(candidates, p)
	}
	goMod := filepath.Join(m.dir, "go.mod")
	orig, err := os.ReadFile(goMod)
	if err != nil {
		return false, err
	}
	without := func(drop []string) ([]byte, error) {
		f, err := modfile.Parse(goMod, orig, nil)
		if err != nil {
			return nil, err
		}
		for _, d := range drop {
			if err := f.DropGodebug(d); err != nil {
				return nil, err
			}
		}
		f.Cleanup()
		return f.Format()
	}
	lastFail := map[string][]string{}
	breaks := func(ctx context.Context, drop []string) (bool, error) {
		data, err := without(drop)
		if err != nil {
			return false, err
		}
		if err := atomicfile.Write(goMod, data); err != nil {
			return false, err
		}
		shown := strings.Join(drop, " ")
		if len(drop) > 4 {
			shown = strings.Join(drop[:4], " ") + " ..."
		}
		fmt.Fprintf(m.env.Stderr, "  trying without %d pin(s): %s\n", len(drop), shown)
		t, err := runTests(ctx, m.dir, m.opts.patterns, m.opts.short)
		if err != nil {
			return false, err
		}
		nf := t.NewFailures(m.baseFail)
		if len(nf) == 0 {
			// With -perf, a pin the service's speed needs is kept too: the
			// benchmarks or the capacity, against the stage's start.
			for _, c := range m.checks()[1:] {
				fails, err := c.run(ctx)
				if err != nil {
					return false, err
				}
				for _, f := range fails {
					nf = append(nf, perfMark+f)
				}
			}
		}
		if len(drop) == 1 && len(nf) > 0 {
			lastFail[drop[0]] = nf
		}
		if len(nf) > 0 && lastFail[""] == nil {
			lastFail[""] = nf
		}
		return len(nf) > 0, nil
	}
	if len(candidates) > 0 {
		bad, err := breaks(ctx, candidates)
		if err != nil {
			return false, err
		}
		if bad {
			// A flaky test must not keep pins: confirm the test failures
			// (run again, and at the stage's start) before bisecting. A
			// perf check's verdict has its own statistics.
			var tests, perf []string
			for _, f := range lastFail[""] {
				if strings.HasPrefix(f, perfMark) {
					perf = append(perf, f)
				} else {
					tests = append(tests, f)
				}
			}
			confirmed, err := m.confirm(ctx, s, tests, m.testCheck())
			if err != nil {
				return false, err
			}
			if bad = len(confirmed)+len(perf) > 0; !bad {
				lastFail[""] = nil
			}
		}
		if bad {
			culp, err := culprits(ctx, candidates, breaks)
			if err != nil {
				return false, err
			}
			for _, c := range culp {
				kept = append(kept, c)
				reasons[c] = pinReason(orSlice(lastFail[c], lastFail[""]))
			}
			candidates = slices.DeleteFunc(candidates, func(c string) bool { return slices.Contains(culp, c) })
		}
		data, err := without(candidates)
		if err != nil {
			return false, err
		}
		if err := atomicfile.Write(goMod, data); err != nil {
			return false, err
		}
	}
	for _, k := range bySetting(kept) {
		s.KeptPins = append(s.KeptPins, k+": "+reasons[k])
	}
	if len(candidates) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Dropped %d pin(s) that no finding reaches and no test needs: %s.", len(candidates), strings.Join(candidates, ", ")))
	}
	for _, set := range godebugs.Flipped(m.from, m.opts.target) {
		if processWide[set.Name] {
			state := "now at the new default"
			if slices.Contains(kept, set.Name) {
				state = "still pinned"
			}
			s.Notes = append(s.Notes, fmt.Sprintf("%s acts process-wide, with no code site to find (%s): %s.", set.Name, state, set.Description))
		}
	}
	return m.finish(ctx, s, start)
}

// perfMark starts a failure that a perf check, not a test, reported.
const perfMark = "perf: "

// pinReason says why a pin stays: the tests that fail without it, or the
// perf regression its removal causes.
func pinReason(fails []string) string {
	var tests, perf []string
	for _, f := range fails {
		if p, ok := strings.CutPrefix(f, perfMark); ok {
			perf = append(perf, p)
		} else {
			tests = append(tests, f)
		}
	}
	if len(tests) > 0 {
		return "test " + strings.Join(tests, ", ") + " fails without it"
	}
	return strings.Join(perf, ", ") + " without it"
}

// cleanups is stage 5: the //go:build go1.21 lines the bump added are
// dropped from files where the loopvar analyzer finds nothing left (the
// loops' meaning does not change, or stage 3 copied the variables).
func (m *migration) cleanups(ctx context.Context) (bool, error) {
	s, start := m.begin(5, "cleanups")
	files := m.loopFiles
	if len(files) == 0 {
		// Resumed: the files the bump kept carry its line at their top.
		files = m.filesWithKeepLine()
	}
	var dropped, kept []string
	if len(files) > 0 {
		res, err := m.engine(ctx, []*analysis.Analyzer{loopvar.Analyzer}, tier.Behavior, nil)
		if err != nil {
			return false, err
		}
		busy := map[string]bool{}
		for _, o := range res.Outcomes {
			busy[m.rel(o.File)] = true
		}
		batch := map[string][]byte{}
		for _, f := range files {
			path := filepath.Join(m.dir, filepath.FromSlash(f))
			data, err := os.ReadFile(path)
			if err != nil {
				return false, err
			}
			if busy[f] || !bytes.HasPrefix(data, []byte(keepLine)) {
				kept = append(kept, f)
				continue
			}
			batch[path] = data[len(keepLine):]
			dropped = append(dropped, f)
		}
		if err := atomicfile.WriteAll(batch); err != nil {
			return false, err
		}
	}
	s.Applied = len(dropped)
	if len(dropped) > 0 {
		s.Notes = append(s.Notes, "Dropped the bump's //go:build go1.21 line (loopvar finds nothing left): "+strings.Join(dropped, ", ")+".")
	}
	if len(kept) > 0 {
		s.Notes = append(s.Notes, "Still kept at go1.21 (loopvar findings left; upshift fix -only loopvar -tier=behavior, or by hand): "+strings.Join(kept, ", ")+".")
	}
	if len(dropped) > 0 {
		// The files are at the new go line now: go test's vet checks that
		// depend on it apply to them (go-kit's zap test: printf's
		// non-constant format, quiet while the file was at go1.21).
		if err := m.vetGate(ctx, s); err != nil {
			return false, err
		}
	}
	if len(files) == 0 {
		s.Notes = append(s.Notes, "No cleanup applies: the bump kept no file at go1.21.")
	}
	return m.finish(ctx, s, start)
}

// keepLine is what bump puts at the top of a file without a build
// constraint to keep its loops at go1.21.
const keepLine = "//go:build go1.21\n\n"

func (m *migration) filesWithKeepLine() []string {
	var out []string
	filepath.WalkDir(m.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".")) && path != m.dir {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			if data, err := os.ReadFile(path); err == nil && bytes.HasPrefix(data, []byte(keepLine)) {
				out = append(out, m.rel(path))
			}
		}
		return nil
	})
	return out
}

func (m *migration) rel(path string) string {
	if r, err := filepath.Rel(m.dir, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// excluded reports whether the module-relative path is under an
// exclude entry of the config.
func (m *migration) excluded(rel string) bool {
	for _, e := range m.opts.cfg.Exclude {
		e = strings.TrimSuffix(filepath.ToSlash(filepath.Clean(e)), "/")
		if rel == e || strings.HasPrefix(rel, e+"/") {
			return true
		}
	}
	return false
}
