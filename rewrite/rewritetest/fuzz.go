package rewritetest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// FuzzGoVersion is the Go version of the package a fuzzed source is
// checked in. A file can raise its own version with a //go:build goX.Y
// line, as in a module whose go line is 1.21.
const FuzzGoVersion = "go1.21"

// Fuzz runs a on each fuzzed Go source and fails on a panic or an
// analyzer error, or when applying a SuggestedFix yields overlapping edits
// or a source that does not parse.
//
// Each source is a single-file package (any package name) that imports the
// standard library only; sources that do not parse or type-check are
// skipped. seeds are added to the corpus.
func Fuzz(f *testing.F, a *analysis.Analyzer, seeds ...string) {
	// Every tier of fix is built and checked.
	previous := rewrite.SetMaxTier(tier.Behavior)
	f.Cleanup(func() { rewrite.SetMaxTier(previous) })
	for _, s := range seeds {
		f.Add(s)
	}
	// One importer for the whole run: it caches the standard library's
	// export data, which keeps each iteration cheap.
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", nil)
	f.Fuzz(func(t *testing.T, src string) {
		pkg, ok := typeCheck(t, fset, imp, src)
		if !ok {
			t.Skip("does not parse or type-check")
		}
		graph, err := checker.Analyze([]*analysis.Analyzer{a}, []*packages.Package{pkg}, nil)
		if err != nil {
			t.Fatalf("analyze: %v", err)
		}
		for act := range graph.All() {
			if !act.IsRoot {
				continue
			}
			if act.Err != nil {
				t.Fatalf("%s failed: %v\nsource:\n%s", a.Name, act.Err, src)
			}
			for _, d := range act.Diagnostics {
				for _, fix := range d.SuggestedFixes {
					out, err := applyFix(fset, []byte(src), fix)
					if err != nil {
						t.Fatalf("fix %q of %q: %v\nsource:\n%s", fix.Message, d.Message, err, src)
					}
					if _, err := parser.ParseFile(token.NewFileSet(), "fixed.go", out, parser.ParseComments); err != nil {
						t.Fatalf("fix %q of %q yields a source that does not parse: %v\nsource:\n%s\nfixed:\n%s", fix.Message, d.Message, err, src, out)
					}
				}
			}
		}
	})
}

// typeCheck writes src to a temporary file (analyzers read files through
// pass.ReadFile) and type-checks it as a one-file package.
func typeCheck(t *testing.T, fset *token.FileSet, imp types.Importer, src string) (*packages.Package, bool) {
	path := filepath.Join(t.TempDir(), "fuzz.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	for _, spec := range file.Imports {
		// Only the standard library is importable (no dot in the first
		// path element); "C" needs cgo.
		if p := spec.Path.Value; p == `"C"` || strings.Contains(firstElem(p), ".") {
			return nil, false
		}
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	typeErr := false
	conf := types.Config{
		Importer:  imp,
		GoVersion: FuzzGoVersion,
		Sizes:     types.SizesFor("gc", "amd64"),
		Error:     func(error) { typeErr = true },
	}
	tpkg, _ := conf.Check("fuzz", fset, []*ast.File{file}, info)
	if typeErr || tpkg == nil {
		return nil, false
	}
	return &packages.Package{
		ID:              "fuzz",
		Name:            file.Name.Name,
		PkgPath:         "fuzz",
		Fset:            fset,
		GoFiles:         []string{path},
		CompiledGoFiles: []string{path},
		Syntax:          []*ast.File{file},
		Types:           tpkg,
		TypesInfo:       info,
		TypesSizes:      conf.Sizes,
		Imports:         map[string]*packages.Package{},
	}, true
}

func firstElem(quoted string) string {
	p := quoted
	if len(p) >= 2 {
		p = p[1 : len(p)-1]
	}
	first, _, _ := strings.Cut(p, "/")
	return first
}

// applyFix applies the edits of fix, which must all fall in one file, to
// src.
func applyFix(fset *token.FileSet, src []byte, fix analysis.SuggestedFix) ([]byte, error) {
	type edit struct {
		start, end int
		text       []byte
	}
	var edits []edit
	for _, e := range fix.TextEdits {
		start, end := fset.Position(e.Pos).Offset, fset.Position(e.End).Offset
		if !e.End.IsValid() {
			end = start
		}
		if start < 0 || end < start || end > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) outside the file (%d bytes)", start, end, len(src))
		}
		edits = append(edits, edit{start, end, e.NewText})
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.start < last {
			return nil, fmt.Errorf("overlapping edits at offset %d", e.start)
		}
		out.Write(src[last:e.start])
		out.Write(e.text)
		last = e.end
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}
