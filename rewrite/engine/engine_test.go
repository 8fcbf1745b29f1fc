package engine

import (
	"context"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/aymanbagabas/go-udiff"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/internal/txtarmod"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

// The analyzers of the tests, served by the test binary as go vet's tool.
var (
	chainA = rewritetest.Renamer("chain", tier.Safe, map[string]string{"stepOne": "stepTwo", "stepTwo": "done"})
	breakA = rewritetest.Renamer("r", tier.Safe, map[string]string{"breakMe": "noSuchFunc", "stepTwo": "done"})
	swingA = rewritetest.Renamer("swing", tier.Safe, map[string]string{"ping": "pong", "pong": "ping"})
	behA   = rewritetest.Renamer("beh", tier.Behavior, map[string]string{"ping": "pong"})
	noneA  = rewritetest.Renamer("x", tier.Safe, nil)
	// growA documents func done with two comment lines: a fix that moves
	// every later line down.
	growA = &analysis.Analyzer{Name: "grow", Doc: "document done", Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "done" && fd.Doc == nil {
					pass.Report(analysis.Diagnostic{Pos: fd.Pos(), Message: "done is undocumented",
						SuggestedFixes: []analysis.SuggestedFix{{Message: "[safe] document it",
							TextEdits: []analysis.TextEdit{{Pos: fd.Pos(), End: fd.Pos(), NewText: []byte("// done ends the chain.\n// It returns 3.\n")}}}}})
				}
			}
		}
		return nil, nil
	}}
)

func TestMain(m *testing.M) {
	var checks []meta.Check
	for _, a := range []*analysis.Analyzer{chainA, breakA, swingA, behA, noneA, growA} {
		checks = append(checks, meta.Check{Analyzer: a, Name: a.Name, ID: a.Name})
	}
	vetcmd.ServeTool(vetcmd.Suite{Checks: checks})
	os.Exit(m.Run())
}

// modes runs a test with the analyzers in this process and through go
// vet, with the test binary as the tool: the engine must not care.
func modes(t *testing.T, test func(t *testing.T, opts Options)) {
	t.Run("in-process", func(t *testing.T) { test(t, Options{}) })
	t.Run("go-vet", func(t *testing.T) {
		exe, err := os.Executable()
		require.NoError(t, err)
		test(t, Options{Tool: exe})
	})
}

// with sets the mode's Tool on o.
func with(mode, o Options) Options {
	o.Tool = mode.Tool
	return o
}

func extract(t *testing.T, name string) string {
	return txtarmod.Extract(t, filepath.Join("testdata", name))
}

func fates(res *Result) map[Fate]int {
	m := map[Fate]int{}
	for _, o := range res.Outcomes {
		m[o.Fate]++
	}
	return m
}

func TestChainConverges(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "chain.txtar")
		res, err := Run(context.Background(), with(opts, Options{Dir: dir, Tests: true, Analyzers: []*analysis.Analyzer{chainA}}))
		require.NoError(t, err)
		assert.True(t, res.Converged)
		assert.Equal(t, 2, res.Rounds)
		got := string(res.Changed[filepath.Join(dir, "chain.go")])
		assert.Contains(t, got, "return done() // the call is fixed twice")
		assert.Contains(t, got, "// A comment that must survive.")
		assert.Contains(t, string(res.Changed[filepath.Join(dir, "chain_test.go")]), "if done() == 0")
		assert.Equal(t, map[Fate]int{Applied: 3}, fates(res))
		// Nothing is written by the engine.
		orig, _ := os.ReadFile(filepath.Join(dir, "chain.go"))
		assert.Contains(t, string(orig), "return stepOne()")
	})
}

func TestRollback(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "broken.txtar")
		res, err := Run(context.Background(), with(opts, Options{Dir: dir, Analyzers: []*analysis.Analyzer{breakA}}))
		require.NoError(t, err)
		_, aChanged := res.Changed[filepath.Join(dir, "a.go")]
		assert.False(t, aChanged, "a.go's change does not compile and is rolled back whole")
		assert.Contains(t, string(res.Changed[filepath.Join(dir, "b.go")]), "return done()")
		var rolled []Outcome
		for _, o := range res.Outcomes {
			if o.Fate == RolledBack {
				rolled = append(rolled, o)
			}
		}
		require.NotEmpty(t, rolled)
		assert.Contains(t, rolled[0].Reason, "noSuchFunc")
		assert.True(t, res.Converged)
	})
}

func TestOscillation(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "swing.txtar")
		res, err := Run(context.Background(), with(opts, Options{Dir: dir, Analyzers: []*analysis.Analyzer{swingA}}))
		require.NoError(t, err)
		assert.False(t, res.Converged)
		assert.Contains(t, res.Oscillation, "undo each other")
		// The state kept is a real state, not a half-way mix.
		got := string(res.Changed[filepath.Join(dir, "s.go")])
		assert.True(t, strings.Contains(got, "return pong()") || got == "", got)
	})
}

func TestTier(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "swing.txtar")
		res, err := Run(context.Background(), with(opts, Options{Dir: dir, Analyzers: []*analysis.Analyzer{behA}}))
		require.NoError(t, err)
		assert.Empty(t, res.Changed)
		require.Len(t, res.Outcomes, 1)
		assert.Equal(t, Skipped, res.Outcomes[0].Fate)
		assert.Contains(t, res.Outcomes[0].Reason, "-tier=behavior")

		res, err = Run(context.Background(), with(opts, Options{Dir: dir, Tier: tier.Behavior, Analyzers: []*analysis.Analyzer{behA}}))
		require.NoError(t, err)
		assert.Len(t, res.Changed, 1)
		assert.Equal(t, tier.Behavior, res.Outcomes[0].Tier)
	})
}

func TestLoadError(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "bad.txtar")
		_, err := Run(context.Background(), with(opts, Options{Dir: dir, Analyzers: []*analysis.Analyzer{noneA}}))
		var le *LoadError
		require.ErrorAs(t, err, &le)
		assert.Contains(t, err.Error(), "bad.go:3:")
		assert.Contains(t, err.Error(), "nothing was changed")
	})
}

// TestBackMapsOffsets checks the mapping of positions in fixed text back
// to the original: text before an edit keeps its offset, text after it
// shifts by the edit's growth, and text inside inserted code maps to the
// start of what it replaced.
func TestBackMapsOffsets(t *testing.T) {
	before := "package p\n\nfunc a() {}\n\nfunc b() {}\n"
	after := "package p\n\nimport \"sort\"\n\nfunc a() {}\n\nfunc b() { sort.Ints(nil) }\n"
	edits := udiff.Bytes([]byte(before), []byte(after))
	for _, tc := range []struct {
		word string // found in after
		want string // the text at the mapped offset in before
	}{
		{"package", "package"},
		{"func a", "func a"},
		{"func b", "func b"},
	} {
		off := strings.Index(after, tc.word)
		got := back(edits, off)
		if got < 0 || got > len(before) || !strings.HasPrefix(before[got:], tc.want) {
			t.Errorf("back(%q at %d) = %d (%q), want the offset of %q", tc.word, off, got, before[min(got, len(before)):], tc.want)
		}
	}
	// Inside the inserted import: the start of the replaced range.
	off := strings.Index(after, "\"sort\"")
	got := back(edits, off)
	if got > strings.Index(before, "func a") {
		t.Errorf("back(inserted import) = %d, want at or before the following code", got)
	}
}

// An insertion and a replacement from two fixes at one offset (both
// editing an import block) are a conflict, not a splice; and sorting puts
// an insertion before a replacement at the same offset, so applyEdits
// never slices backwards (it panicked with x/exp/maps migrated by
// iterchange while maporder added "maps").
func TestInsertionAtReplacementIsConflict(t *testing.T) {
	repl := edit{start: 10, end: 20, text: `"maps"`}
	ins := edit{start: 10, end: 10, text: `"slices"` + "\n"}
	after := edit{start: 20, end: 20, text: "x"}
	assert.True(t, overlaps([]edit{repl}, []edit{ins}))
	assert.True(t, overlaps([]edit{ins}, []edit{repl}))
	assert.True(t, overlaps([]edit{repl}, []edit{after}))
	assert.False(t, overlaps([]edit{repl}, []edit{{start: 21, end: 21, text: "y"}}))

	edits := []edit{repl, ins}
	sort.Slice(edits, func(i, j int) bool { return editBefore(edits[i], edits[j]) })
	src := []byte("0123456789abcdefghijKLM")
	assert.Equal(t, "0123456789\"slices\"\n\"maps\"KLM", string(applyEdits(src, edits)))
}

// TestLeave: a finding the caller leaves out is not fixed, is reported
// as skipped with the caller's reason, and is asked about at its line in
// the original file in every round.
func TestLeave(t *testing.T) {
	dir := extract(t, "chain.txtar")
	a := rewritetest.Renamer("chain", tier.Safe, map[string]string{"stepOne": "stepTwo", "stepTwo": "done"})
	asked := map[string][]int{}
	res, err := Run(context.Background(), Options{Dir: dir, Tests: true, Analyzers: []*analysis.Analyzer{a},
		Leave: func(analyzer, file string, line int, message string) string {
			asked[filepath.Base(file)] = append(asked[filepath.Base(file)], line)
			if filepath.Base(file) == "chain_test.go" {
				return "breaks TestUse"
			}
			return ""
		}})
	require.NoError(t, err)
	_, testChanged := res.Changed[filepath.Join(dir, "chain_test.go")]
	assert.False(t, testChanged, "the fix left out is not applied")
	assert.Contains(t, string(res.Changed[filepath.Join(dir, "chain.go")]), "return done() // the call is fixed twice")
	var skipped []Outcome
	for _, o := range res.Outcomes {
		if o.Fate == Skipped {
			skipped = append(skipped, o)
		}
	}
	require.Len(t, skipped, 1)
	assert.Equal(t, "breaks TestUse", skipped[0].Reason)
	assert.Equal(t, "chain_test.go", filepath.Base(skipped[0].File))
	for _, line := range asked["chain.go"] {
		assert.Equal(t, 10, line, "both rounds' findings in chain.go are at line 10 of the original file")
	}
	assert.GreaterOrEqual(t, len(asked["chain.go"]), 2)
}

// A finding left over when the rounds run out is reported at its line in
// the original file, although earlier fixes moved it down: the diff and
// the user look at the original.
func TestLeftoverAtOriginalLine(t *testing.T) {
	modes(t, func(t *testing.T, opts Options) {
		dir := extract(t, "chain.txtar")
		res, err := Run(context.Background(), with(opts, Options{Dir: dir, MaxRounds: 1, Analyzers: []*analysis.Analyzer{chainA, growA}}))
		require.NoError(t, err)
		got := string(res.Changed[filepath.Join(dir, "chain.go")])
		require.Contains(t, got, "// It returns 3.\nfunc done()")
		require.Contains(t, got, "return stepTwo() // the call is fixed twice")
		var left []Outcome
		for _, o := range res.Outcomes {
			if o.Fate == Conflict && filepath.Base(o.File) == "chain.go" {
				left = append(left, o)
			}
		}
		require.Len(t, left, 1, "%+v", res.Outcomes)
		assert.Equal(t, "stepTwo is old", left[0].Message)
		// stepOne() was on line 10; the two comment lines put stepTwo()
		// on line 12 of the fixed file.
		assert.Equal(t, 10, left[0].Line)
		assert.Contains(t, left[0].Reason, "no fixpoint within 1 rounds")
	})
}
