package rewritetest

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// CheckGolden proves, for each package of an analysistest testdata
// directory, what analysistest.RunWithSuggestedFixes does not: that the
// .golden files (the fixed sources) type-check together with the rest of
// their package, that running a again on them yields no diagnostic with a
// SuggestedFix (one run of `upshift fix` converges), that every comment of
// the original file survives, and that the golden files are
// gofmt-formatted.
//
// testdata is laid out as analysistest expects: a GOPATH tree (testdata/src/
// pkg) or, when testdata/go.mod exists, a module. Each package must have at
// least one golden file.
func CheckGolden(t testing.TB, testdata string, a *analysis.Analyzer, pkgs ...string) {
	// Every tier of fix is built and checked.
	previous := rewrite.SetMaxTier(tier.Behavior)
	t.Cleanup(func() { rewrite.SetMaxTier(previous) })
	t.Helper()
	problems, err := GoldenProblems(t.TempDir(), testdata, a, pkgs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// GoldenProblems does the work of CheckGolden in the scratch directory
// tmp and returns one line per problem found; err is for failures of the
// check itself.
func GoldenProblems(tmp, testdata string, a *analysis.Analyzer, pkgs ...string) (problems []string, err error) {
	goldens := map[string]string{} // fixed file in tmp -> original file
	if err := copyTree(testdata, tmp, goldens); err != nil {
		return nil, fmt.Errorf("copying %s: %w", testdata, err)
	}
	for _, pkg := range pkgs {
		ps, err := packageProblems(tmp, testdata, a, pkg, goldens)
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", pkg, err)
		}
		for _, p := range ps {
			problems = append(problems, pkg+": "+p)
		}
	}
	return problems, nil
}

// copyTree copies src to dst, replacing each file that has a .golden
// sibling by the golden content, and records those files.
func copyTree(src, dst string, goldens map[string]string) error {
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
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(path, ".golden") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if golden, err := os.ReadFile(path + ".golden"); err == nil {
			data = golden
			goldens[target] = path
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func packageProblems(tmp, testdata string, a *analysis.Analyzer, pattern string, goldens map[string]string) ([]string, error) {
	loaded, err := load(tmp, pattern)
	if err != nil {
		return nil, fmt.Errorf("loading the fixed package: %w", err)
	}
	var problems []string
	var fixed []string
	for _, p := range loaded {
		for _, e := range p.Errors {
			problems = append(problems, "the fixed package does not compile: "+relTo(tmp, testdata, e.Error()))
		}
		for _, f := range p.CompiledGoFiles {
			if _, ok := goldens[f]; ok && !slices.Contains(fixed, f) {
				fixed = append(fixed, f)
			}
		}
	}
	if len(fixed) == 0 {
		return nil, fmt.Errorf("no .golden file")
	}
	if len(problems) > 0 {
		return problems, nil
	}

	graph, err := checker.Analyze([]*analysis.Analyzer{a}, loaded, nil)
	if err != nil {
		return nil, fmt.Errorf("analyzing the fixed package: %w", err)
	}
	seen := map[string]bool{} // test variants repeat diagnostics
	for act := range graph.All() {
		if !act.IsRoot || act.Analyzer != a {
			continue
		}
		if act.Err != nil {
			problems = append(problems, fmt.Sprintf("%s on the fixed package: %v", a.Name, act.Err))
		}
		for _, d := range act.Diagnostics {
			if len(d.SuggestedFixes) == 0 {
				continue
			}
			pos := act.Package.Fset.Position(d.Pos)
			p := fmt.Sprintf("%s:%d: a second run still fixes %q: the fix does not converge", relTo(tmp, testdata, pos.Filename), pos.Line, d.Message)
			if !seen[p] {
				seen[p] = true
				problems = append(problems, p)
			}
		}
	}

	for _, f := range fixed {
		orig := goldens[f]
		got, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if formatted, err := format.Source(got); err != nil || !bytes.Equal(formatted, got) {
			problems = append(problems, orig+".golden is not gofmt-formatted")
		}
		before, err := commentTexts(orig)
		if err != nil {
			return nil, err
		}
		after, err := commentTexts(f)
		if err != nil {
			return nil, err
		}
		for _, lost := range missing(before, after) {
			problems = append(problems, fmt.Sprintf("%s.golden lost the comment %q", orig, lost))
		}
	}
	return problems, nil
}

func load(dir, pattern string) ([]*packages.Package, error) {
	env := []string{"GOPATH=" + dir, "GO111MODULE=off", "GOWORK=off"}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		env = []string{"GO111MODULE=on", "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod"}
	}
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), env...),
	}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no package matches %s", pattern)
	}
	for _, p := range pkgs {
		if p.Name == "" {
			return nil, fmt.Errorf("no package %s: %v", p.PkgPath, p.Errors)
		}
	}
	return pkgs, nil
}

// commentTexts returns the text of every comment of a Go file.
func commentTexts(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			texts = append(texts, c.Text)
		}
	}
	return texts, nil
}

// missing returns the elements of before (a multiset) absent from after.
func missing(before, after []string) []string {
	left := map[string]int{}
	for _, s := range after {
		left[s]++
	}
	var lost []string
	for _, s := range before {
		if left[s] > 0 {
			left[s]--
			continue
		}
		lost = append(lost, s)
	}
	sort.Strings(lost)
	return lost
}

// relTo rewrites paths of the temporary copy into paths of testdata, so
// that failures name the files a developer edits.
func relTo(tmp, testdata, msg string) string {
	return strings.ReplaceAll(msg, tmp, testdata)
}
