package loopvar

import (
	"bytes"
	"fmt"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

// TestGOPATH covers packages without a go.mod: files without a version
// are never reported, files with //go:build go1.21 are.
func TestGOPATH(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), Analyzer, "noversion", "tagged")
}

// TestFixes checks the per-iteration copies against .golden files, and
// that the fixed code compiles, converges and keeps its comments.
func TestFixes(t *testing.T) {
	kittest.Fixes(t, Analyzer, "tagged")
}

// FuzzFix feeds single-file programs through the analyzer and its
// rewrite: no panic, and every fixed source parses.
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, Analyzer, `//go:build go1.21

package p

import "sync"

func run(xs []int, f func(int)) []*int {
	var out []*int
	var wg sync.WaitGroup
	for i, x := range xs {
		out = append(out, &x)
		go func() { f(i) }()
	}
	for i := 0; i < 3; i++ {
		out = append(out, &i)
	}
	for i := 0; i < 3; i++ {
		i++
		out = append(out, &i)
	}
	wg.Wait()
	return out
}
`)
}

// TestModules runs every module archive twice: as written (go 1.21, with
// its // want comments) and with the go line raised to 1.22, where only
// files pinned below 1.22 by their //go:build line may still be reported.
func TestModules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(analysistest.TestData(), "modules", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, extract(t, ar), Analyzer, "./...")
		})
		t.Run(name+"@go1.22", func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, extract(t, raise(ar)), Analyzer, "./...")
		})
	}
}

var (
	goLine   = regexp.MustCompile(`(?m)^go 1\.\d+(\.\d+)?$`)
	wantDiag = regexp.MustCompile("(?m)// want [\"`].*$")
	ignore   = regexp.MustCompile(`//upshift:ignore loopvar .*`)
	pinned   = regexp.MustCompile(`(?m)^//go:build go1\.(1\d|2[01])\b`)
)

// raise returns a copy of ar whose go.mod files say go 1.22 and whose
// diagnostics expectations are removed, except in files that pin an older
// version with //go:build (fact expectations stay: facts do not depend on
// the version).
func raise(ar *txtar.Archive) *txtar.Archive {
	out := &txtar.Archive{Comment: ar.Comment}
	for _, f := range ar.Files {
		data := f.Data
		switch {
		case filepath.Base(f.Name) == "go.mod":
			data = goLine.ReplaceAll(data, []byte("go 1.22"))
		case strings.HasSuffix(f.Name, ".go") && !pinned.Match(data):
			data = wantDiag.ReplaceAll(data, nil)
			// A suppression with nothing left to suppress is reported.
			data = ignore.ReplaceAll(data, []byte("// (suppression not needed at go1.22)"))
		}
		out.Files = append(out.Files, txtar.File{Name: f.Name, Data: data})
	}
	return out
}

// extract writes ar into a fresh temporary directory.
func extract(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, f.Data, 0o644))
	}
	return dir
}

// loopKey is the position of a loop variable's declaration.
type loopKey struct {
	file      string
	line, col int
}

// compilerLine matches the toolchain's report of a loop whose variables it
// would make per-iteration: "./a.go:7:9: loop variable v now
// per-iteration, heap-allocated".
var compilerLine = regexp.MustCompile(`^(?:\./)?(\S+\.go):(\d+):(\d+): loop variable (\w+) now per-iteration, (heap|stack)-allocated$`)

// TestCompilerCrossCheck compares the findings with the loops that
// `go build -gcflags=-d=loopvar=2` lists on a go 1.21 module: every loop
// the analyzer reports must be one the compiler transforms (the variable
// is captured or address-taken), and every loop whose variable the
// compiler must move to the heap (it outlives the iteration) must be
// reported, unless the source marks it "// benign:" with the reason the
// behaviour does not change.
func TestCompilerCrossCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	ar, err := txtar.ParseFile(filepath.Join(analysistest.TestData(), "crosscheck.txtar"))
	require.NoError(t, err)
	dir := extract(t, ar)

	cmd := exec.Command(goTool, "build", "-gcflags=-d=loopvar=2", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())

	compiled := make(map[loopKey]string) // -> heap or stack
	for _, line := range strings.Split(stderr.String(), "\n") {
		m := compilerLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		var k loopKey
		k.file = filepath.Base(m[1])
		fmt.Sscan(m[2], &k.line)
		fmt.Sscan(m[3], &k.col)
		compiled[k] = m[5]
	}
	require.NotEmpty(t, compiled, "the compiler listed no loops; output format changed?\n%s", stderr.String())

	// Collect the loop variables of the findings (declaring identifiers,
	// the position the compiler reports).
	reported := make(map[loopKey]bool)
	collector := *Analyzer
	collector.Run = func(pass *analysis.Pass) (any, error) {
		pass.Report = func(d analysis.Diagnostic) {
			for _, r := range d.Related {
				if strings.Contains(r.Message, "is declared once") {
					p := pass.Fset.Position(r.Pos)
					reported[loopKey{filepath.Base(p.Filename), p.Line, p.Column}] = true
				}
			}
		}
		return run(pass)
	}
	analysistest.Run(t, dir, &collector, "./...")
	require.NotEmpty(t, reported)

	benign := benignLines(t, dir)
	var missing, extra []string
	for k, alloc := range compiled {
		if alloc == "heap" && !reported[k] && !benign[loopKey{k.file, k.line, 0}] {
			missing = append(missing, fmt.Sprintf("%s:%d:%d", k.file, k.line, k.col))
		}
	}
	for k := range reported {
		if _, ok := compiled[k]; !ok {
			extra = append(extra, fmt.Sprintf("%s:%d:%d", k.file, k.line, k.col))
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	assert.Empty(t, missing, "heap-allocated loops not reported and not marked benign")
	assert.Empty(t, extra, "reported loops the compiler does not transform")
	for k := range benign {
		found := false
		for c := range compiled {
			found = found || (c.file == k.file && c.line == k.line)
		}
		assert.True(t, found, "loop marked benign at %s:%d is not listed by the compiler", k.file, k.line)
		for r := range reported {
			assert.False(t, r.file == k.file && r.line == k.line, "loop marked benign at %s:%d is reported", k.file, k.line)
		}
	}
}

// benignLines returns the loops whose header line carries a "// benign:"
// comment.
func benignLines(t *testing.T, dir string) map[loopKey]bool {
	t.Helper()
	out := make(map[loopKey]bool)
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "// benign:") && strings.Contains(line, "for ") {
				out[loopKey{filepath.Base(f), i + 1, 0}] = true
			}
		}
	}
	return out
}

// Ensure the findings keep the nodes a rewrite needs.
func TestFindingNodes(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join(analysistest.TestData(), "crosscheck.txtar"))
	require.NoError(t, err)
	dir := extract(t, ar)
	var got []*finding
	probe := *Analyzer
	probe.Run = func(pass *analysis.Pass) (any, error) {
		c := newChecker(pass)
		c.summarize()
		got = append(got, c.findings()...)
		return nil, nil
	}
	analysistest.Run(t, dir, &probe, "./...")
	require.NotEmpty(t, got)
	for _, f := range got {
		require.NotNil(t, f.loop)
		require.NotEmpty(t, f.decls)
		require.NotNil(t, f.origin)
		require.NotNil(t, f.esc.sink)
		_, isLoop := f.loop.(*ast.RangeStmt)
		_, isFor := f.loop.(*ast.ForStmt)
		assert.True(t, isLoop || isFor)
	}
}
