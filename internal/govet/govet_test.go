package govet_test

import (
	"context"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/govet"
)

// callcheck reports calls of functions named hazard, with a fix that
// renames them safe.
var callcheck = &analysis.Analyzer{
	Name: "callcheck",
	Doc:  "report calls to hazard",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && id.Name == "hazard" {
					pass.Report(analysis.Diagnostic{Pos: id.Pos(), End: id.End(), Message: "hazard named",
						SuggestedFixes: []analysis.SuggestedFix{{Message: "[safe] rename", TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("safe")}}}}})
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestMain(m *testing.M) {
	vetcmd.ServeTool(vetcmd.Suite{Checks: []meta.Check{{Analyzer: callcheck, Name: callcheck.Name, ID: "UP9997"}}})
	os.Exit(m.Run())
}

func module(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	}
	return dir
}

func tool(t *testing.T) string {
	exe, err := os.Executable()
	require.NoError(t, err)
	return exe
}

// An overlay is analyzed instead of the file on disk, and what comes back
// names the original file: positions, fix edits, and the packages a tool
// process analyzed (all of them, the first time; none from the cache).
func TestOverlay(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a.go":   "package m\n\nfunc f() {}\n",
	})
	a := filepath.Join(dir, "a.go")
	overlay := "package m\n\nfunc hazard() {}\n"
	res, err := govet.Run{Dir: dir, Tool: tool(t), Analyzers: []string{"callcheck"}, Fixes: true,
		Overlay: map[string][]byte{a: []byte(overlay)}}.Do(context.Background(), []string{"./..."})
	require.NoError(t, err)
	require.Len(t, res.Findings, 1)
	f := res.Findings[0]
	assert.Equal(t, token.Position{Filename: a, Line: 3, Column: 6}, f.Pos)
	assert.Equal(t, "example.com/m", f.Package)
	require.Len(t, f.Fixes, 1)
	assert.Equal(t, []govet.Edit{{Filename: a, Start: 16, End: 22, New: "safe"}}, f.Fixes[0].Edits)
	assert.Equal(t, "hazard", overlay[16:22])
	disk, err := os.ReadFile(a)
	require.NoError(t, err)
	assert.Equal(t, "package m\n\nfunc f() {}\n", string(disk), "the file on disk is untouched")
	assert.Equal(t, 1, res.Packages)

}

// A package that does not type-check comes back as errors naming the
// file, relative to Dir, with its package; an overlaid file is named by
// its original path.
func TestErrors(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod":   "module example.com/m\n\ngo 1.22\n",
		"a.go":     "package m\n\nfunc f() {}\n",
		"sub/b.go": "package sub\n\nfunc g() int { return \"x\" }\n",
	})
	a := filepath.Join(dir, "a.go")
	res, err := govet.Run{Dir: dir, Tool: tool(t), Analyzers: []string{"callcheck"},
		Overlay: map[string][]byte{a: []byte("package m\n\nfunc f() { undefinedName() }\n")}}.Do(context.Background(), []string{"./..."})
	require.NoError(t, err)
	require.Len(t, res.Errors, 2, "%+v", res.Errors)
	assert.Equal(t, govet.Error{Package: "example.com/m", File: a, Text: "a.go:3:12: undefined: undefinedName", Msg: "undefined: undefinedName"}, res.Errors[0])
	assert.Equal(t, "example.com/m/sub", res.Errors[1].Package)
	assert.Equal(t, filepath.Join(dir, "sub", "b.go"), res.Errors[1].File)
	assert.Regexp(t, `^sub/b\.go:3:23: cannot use "x"`, res.Errors[1].Text)
}

// A second run of unchanged packages comes from the go build cache: no
// tool process analyzes anything. Changing one file re-analyzes its
// package only.
func TestCached(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod":     "module example.com/m\n\ngo 1.22\n",
		"a.go":       "package m\n\nimport _ \"example.com/m/leaf\"\n",
		"leaf/l.go":  "package leaf\n\nfunc hazard() {}\n",
		"other/o.go": "package other\n\nfunc g() {}\n",
	})
	run := func() *govet.Result {
		res, err := govet.Run{Dir: dir, Tool: tool(t), Analyzers: []string{"callcheck"}}.Do(context.Background(), []string{"./..."})
		require.NoError(t, err)
		return res
	}
	first := run()
	assert.Equal(t, 3, first.Packages)
	assert.Len(t, first.Findings, 1)
	second := run()
	assert.Empty(t, second.Analyzed, "nothing changed: everything from the cache")
	assert.Equal(t, first.Findings, second.Findings)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other", "o.go"), []byte("package other\n\nfunc h() {}\n"), 0o644))
	third := run()
	assert.Equal(t, []string{"example.com/m/other"}, third.Analyzed)
}

// The go command caches vet results by content: a run whose overlay was
// analyzed before gets the earlier run's output back, with the earlier
// (deleted) overlay directory in its positions. They still name the
// original file.
func TestOverlayFromCache(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a.go":   "package m\n\nfunc f() {}\n",
	})
	a := filepath.Join(dir, "a.go")
	run := func() *govet.Result {
		res, err := govet.Run{Dir: dir, Tool: tool(t), Analyzers: []string{"callcheck"}, Fixes: true,
			Overlay: map[string][]byte{a: []byte("package m\n\nfunc hazard() {}\n")}}.Do(context.Background(), []string{"./..."})
		require.NoError(t, err)
		return res
	}
	first, second := run(), run()
	assert.Empty(t, second.Analyzed, "the second run is served from the cache")
	require.Len(t, second.Findings, 1)
	assert.Equal(t, a, second.Findings[0].Pos.Filename)
	assert.Equal(t, a, second.Findings[0].Fixes[0].Edits[0].Filename)
	assert.Equal(t, first.Findings, second.Findings)
}

// ChangedFlags passes on what differs from the defaults, as go vet takes it.
func TestChangedFlags(t *testing.T) {
	a := &analysis.Analyzer{Name: "flagged", Doc: "has flags", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	a.Flags.String("to", "go1.22", "target")
	a.Flags.Bool("strict", false, "be strict")
	assert.Empty(t, govet.ChangedFlags([]*analysis.Analyzer{a}))
	require.NoError(t, a.Flags.Set("to", "go1.26"))
	assert.Equal(t, []string{"-flagged.to=go1.26"}, govet.ChangedFlags([]*analysis.Analyzer{a}))
}
