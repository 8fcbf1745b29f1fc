package bump

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"go/types"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loopSemantics is the language version from which every loop iteration
// has its own loop variables. No GODEBUG setting keeps the old meaning:
// only the file's language version does.
const loopSemantics = "go1.22"

// keepVersion is the language version a //go:build line gives the files
// that must keep the shared loop variables. go/types and the compiler
// raise any older //go:build version to go1.21, which still has them.
const keepVersion = "go1.21"

// LoopFile is a file with loops whose meaning changes when its language
// version reaches go1.22: a loop variable declared by the loop is captured
// by a function literal or has its address taken (explicitly, by a
// pointer-receiver method or by slicing an array).
type LoopFile struct {
	// Path is the file's absolute path.
	Path string
	// Lines are the lines of the loops, ascending.
	Lines []int
	// Old and New are the file's contents before and after its
	// //go:build line is added or extended.
	Old, New []byte
}

// changingLoops loads every package of the module in dir (with tests) and
// returns the files below go1.22 whose loops would change meaning. The
// check is conservative: any capture or address of a per-loop variable
// counts, whether or not it outlives the iteration, because a bump that
// claims to be neutral must not guess.
func changingLoops(ctx context.Context, dir, tags string) ([]LoopFile, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:   dir,
		Tests: true,
	}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("loading the module's packages: %w", err)
	}
	// Type errors say it best; go list repeats the compiler's output
	// under a "# pkg" header, so list errors count only when there are
	// no type errors.
	var typeErrs, otherErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			msg := e.Msg
			if pos := e.Pos; pos != "" && pos != "-" {
				if rel, err := filepath.Rel(dir, pos); err == nil && !strings.HasPrefix(rel, "..") {
					pos = rel
				}
				msg = pos + ": " + msg
			}
			if e.Kind == packages.TypeError {
				typeErrs = append(typeErrs, msg)
			} else {
				otherErrs = append(otherErrs, msg)
			}
		}
	})
	errs := typeErrs
	if len(errs) == 0 {
		errs = otherErrs
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		errs = slices.Compact(errs)
		return nil, fmt.Errorf("the module does not build, so its loops cannot be checked:\n%s", strings.Join(errs, "\n"))
	}
	lines := map[string]map[int]bool{}
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			name := p.Fset.File(f.FileStart).Name()
			v := p.TypesInfo.FileVersions[f]
			if v == "" || version.Compare(v, loopSemantics) >= 0 {
				continue
			}
			for _, line := range loopsIn(p.Fset, p.TypesInfo, f) {
				if lines[name] == nil {
					lines[name] = map[int]bool{}
				}
				lines[name][line] = true
			}
		}
	}
	// Files the build configuration leaves out (other GOOS/GOARCH, build
	// tags) have no types here; they are checked on their syntax alone.
	// go list does not even list directories whose every file is left
	// out, so the module's tree is walked for them.
	excluded, err := excludedFiles(dir, pkgs)
	if err != nil {
		return nil, err
	}
	for _, name := range excluded {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if v := f.GoVersion; v != "" && version.Compare(v, loopSemantics) >= 0 {
			continue
		}
		for _, line := range loopsInSyntax(fset, f) {
			if lines[name] == nil {
				lines[name] = map[int]bool{}
			}
			lines[name][line] = true
		}
	}
	var out []LoopFile
	for name, set := range lines {
		lf := LoopFile{Path: name}
		for l := range set {
			lf.Lines = append(lf.Lines, l)
		}
		slices.Sort(lf.Lines)
		out = append(out, lf)
	}
	slices.SortFunc(out, func(a, b LoopFile) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// loopsIn returns the lines of the loops of f whose variables are captured
// or have their address taken.
func loopsIn(fset *token.FileSet, info *types.Info, f *ast.File) []int {
	var out []int
	ast.Inspect(f, func(n ast.Node) bool {
		vars := map[types.Object]bool{}
		var scope []ast.Node
		switch loop := n.(type) {
		case *ast.RangeStmt:
			if loop.Tok != token.DEFINE {
				return true
			}
			for _, e := range []ast.Expr{loop.Key, loop.Value} {
				if id, ok := e.(*ast.Ident); ok && info.Defs[id] != nil {
					vars[info.Defs[id]] = true
				}
			}
			scope = []ast.Node{loop.Body}
		case *ast.ForStmt:
			init, ok := loop.Init.(*ast.AssignStmt)
			if !ok || init.Tok != token.DEFINE {
				return true
			}
			for _, e := range init.Lhs {
				if id, ok := e.(*ast.Ident); ok && info.Defs[id] != nil {
					vars[info.Defs[id]] = true
				}
			}
			scope = []ast.Node{loop.Cond, loop.Post, loop.Body}
		default:
			return true
		}
		if len(vars) > 0 && escapes(info, vars, scope) {
			out = append(out, fset.Position(n.Pos()).Line)
		}
		return true
	})
	return out
}

// escapes reports whether any of vars is used inside a function literal
// or has its address taken within the nodes.
func escapes(info *types.Info, vars map[types.Object]bool, nodes []ast.Node) bool {
	found := false
	isVar := func(e ast.Expr) bool {
		id, ok := root(e).(*ast.Ident)
		return ok && vars[info.Uses[id]]
	}
	var visit func(n ast.Node, inLit bool) bool
	visit = func(n ast.Node, inLit bool) bool {
		if found || n == nil {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			ast.Inspect(x.Body, func(m ast.Node) bool { return visit(m, true) })
			return false
		case *ast.Ident:
			if inLit && vars[info.Uses[x]] {
				found = true
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND && isVar(x.X) {
				found = true
			}
		case *ast.SliceExpr:
			if t, ok := info.Types[x.X]; ok && isVar(x.X) {
				if _, isArray := t.Type.Underlying().(*types.Array); isArray {
					found = true
				}
			}
		case *ast.SelectorExpr:
			// A pointer-receiver method called on (or taken from) an
			// addressable loop variable takes its address.
			if sel, ok := info.Selections[x]; ok && sel.Kind() == types.MethodVal && isVar(x.X) {
				if _, recvIsPtr := sel.Obj().Type().(*types.Signature).Recv().Type().(*types.Pointer); recvIsPtr {
					if _, operandIsPtr := info.TypeOf(x.X).Underlying().(*types.Pointer); !operandIsPtr {
						found = true
					}
				}
			}
		}
		return !found
	}
	for _, n := range nodes {
		if n != nil {
			ast.Inspect(n, func(m ast.Node) bool { return visit(m, false) })
		}
	}
	return found
}

// excludedFiles returns the module's Go files that no loaded package
// compiles: those its packages ignore, and those of directories go list
// skipped because the build configuration excludes all their files.
// testdata, vendor, hidden and _ directories and nested modules are not
// part of the module's build, as for go list ./... .
func excludedFiles(dir string, pkgs []*packages.Package) ([]string, error) {
	compiled := map[string]bool{}
	var out []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, f := range p.CompiledGoFiles {
			compiled[f] = true
		}
		for _, f := range p.GoFiles {
			compiled[f] = true
		}
	})
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != dir && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != dir {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !compiled[path] {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the module's files: %w", err)
	}
	return out, nil
}

// loopsInSyntax is loopsIn without type information, for files outside
// the build configuration: loop variables are matched by name, and any
// method call on one counts as taking its address (a pointer receiver
// might). It misses only pointer-receiver method values (v.M not called).
func loopsInSyntax(fset *token.FileSet, f *ast.File) []int {
	var out []int
	ast.Inspect(f, func(n ast.Node) bool {
		names := map[string]bool{}
		var scope []ast.Node
		switch loop := n.(type) {
		case *ast.RangeStmt:
			if loop.Tok != token.DEFINE {
				return true
			}
			for _, e := range []ast.Expr{loop.Key, loop.Value} {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					names[id.Name] = true
				}
			}
			scope = []ast.Node{loop.Body}
		case *ast.ForStmt:
			init, ok := loop.Init.(*ast.AssignStmt)
			if !ok || init.Tok != token.DEFINE {
				return true
			}
			for _, e := range init.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					names[id.Name] = true
				}
			}
			scope = []ast.Node{loop.Cond, loop.Post, loop.Body}
		default:
			return true
		}
		if len(names) > 0 && escapesSyntax(names, scope) {
			out = append(out, fset.Position(n.Pos()).Line)
		}
		return true
	})
	return out
}

func escapesSyntax(names map[string]bool, nodes []ast.Node) bool {
	found := false
	isVar := func(e ast.Expr) bool {
		id, ok := root(e).(*ast.Ident)
		return ok && names[id.Name]
	}
	var visit func(n ast.Node, inLit bool) bool
	visit = func(n ast.Node, inLit bool) bool {
		if found || n == nil {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			ast.Inspect(x.Body, func(m ast.Node) bool { return visit(m, true) })
			return false
		case *ast.Ident:
			found = inLit && names[x.Name]
		case *ast.UnaryExpr:
			found = x.Op == token.AND && isVar(x.X)
		case *ast.SliceExpr:
			found = isVar(x.X)
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && isVar(sel.X) {
				found = true
			}
		}
		return !found
	}
	for _, n := range nodes {
		if n != nil {
			ast.Inspect(n, func(m ast.Node) bool { return visit(m, false) })
		}
	}
	return found
}

// root strips field selections, indexing and parentheses: &v.f and &v[i]
// take (part of) v's address.
func root(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return e
		}
	}
}

// keepLoops gives src a //go:build line that holds its language version
// at go1.21, combined with the file's own constraint if it has one; the
// old // +build lines, redundant since go1.17, are dropped.
func keepLoops(src []byte) ([]byte, error) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	var expr, plus constraint.Expr
	goBuild, plusAt := -1, -1
	var out [][]byte
	for i, l := range lines {
		t := strings.TrimSpace(string(l))
		if t == "" || strings.HasPrefix(t, "//") {
			if constraint.IsGoBuild(t) {
				e, err := constraint.Parse(t)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", i+1, err)
				}
				expr, goBuild = e, len(out)
				out = append(out, nil)
				continue
			}
			if constraint.IsPlusBuild(t) {
				e, err := constraint.Parse(t)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", i+1, err)
				}
				if plus == nil {
					plus, plusAt = e, len(out)
					out = append(out, nil)
				} else {
					plus = &constraint.AndExpr{X: plus, Y: e}
				}
				continue
			}
			out = append(out, l)
			continue
		}
		// The header ends at the first other line (package clause,
		// block comment): constraints live above it.
		out = append(out, lines[i:]...)
		break
	}
	if expr == nil && plus != nil {
		// Only // +build lines: they become the //go:build line.
		expr, goBuild = plus, plusAt
	} else if plusAt >= 0 {
		out = slices.Delete(out, plusAt, plusAt+1)
		if plusAt < goBuild {
			goBuild--
		}
	}
	tag := &constraint.TagExpr{Tag: keepVersion}
	if expr == nil {
		line := []byte("//go:build " + tag.String() + "\n\n")
		return append(line, bytes.Join(out, nil)...), nil
	}
	out[goBuild] = []byte("//go:build " + (&constraint.AndExpr{X: tag, Y: expr}).String() + "\n")
	return bytes.Join(out, nil), nil
}
