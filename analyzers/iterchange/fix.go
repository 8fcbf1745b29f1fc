package iterchange

import (
	"errors"
	"go/ast"
	"go/types"
	"go/version"
	"slices"
	"strconv"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// fileFix is a whole-file rewrite (an import switch), computed once per
// file and attached to every finding of the file; reason says why there is
// none.
type fileFix struct {
	fix    analysis.SuggestedFix
	reason string
}

// fileFixes caches the whole-file rewrites of one pass, by import path
// switched and file.
type fileFixes map[string]map[*ast.File]fileFix

// get returns the cached rewrite of file for path, computing it once.
func (c fileFixes) get(path string, file *ast.File, compute func() (analysis.SuggestedFix, error)) fileFix {
	if c[path] == nil {
		c[path] = map[*ast.File]fileFix{}
	}
	ff, ok := c[path][file]
	if !ok {
		fix, err := compute()
		ff = fileFix{fix: fix}
		if err != nil {
			ff.reason = err.Error()
		}
		c[path][file] = ff
	}
	return ff
}

// suggest attaches a finding's rewrite, or says why there is none. cache
// holds the whole-file switches already computed in this pass.
func suggest(pass *analysis.Pass, f finding, d *analysis.Diagnostic, cache fileFixes) {
	if !rewrite.Wanted(pass) {
		return
	}
	attach := func(fix analysis.SuggestedFix, err error) {
		if err != nil {
			d.Related = append(d.Related, rewrite.NoFix(f.hazard.Pos(), err.Error()))
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	fromCache := func(ff fileFix) {
		if ff.reason != "" {
			attach(analysis.SuggestedFix{}, errors.New(ff.reason))
			return
		}
		attach(ff.fix, nil)
	}
	switch f.kind {
	case kindExpSlicesMoved, kindExpSlicesCmp:
		file := rewrite.FileOf(pass, f.hazard)
		fromCache(cache.get(expSlicesPath, file, func() (analysis.SuggestedFix, error) {
			plan := expSlicesPlan(pass, file)
			if plan.blocker != "" {
				return analysis.SuggestedFix{}, errors.New(plan.blocker)
			}
			t := tier.Safe
			if zeroingUsed(pass, file) {
				t = tier.Behavior
			}
			return toStdSlicesFix(pass, file.Pos(), t, plan.cmps)
		}))
	case kindExpMaps:
		file := rewrite.FileOf(pass, f.hazard)
		fromCache(cache.get(expMapsPath, file, func() (analysis.SuggestedFix, error) {
			calls, reason := expMapsPlan(pass, file)
			if reason != "" {
				return analysis.SuggestedFix{}, errors.New(reason)
			}
			return toStdMapsFix(pass, file, calls)
		}))
	case kindSeqAfterUnlock:
		call, ok := f.hazard.(*ast.CallExpr)
		if !ok {
			attach(analysis.SuggestedFix{}, errors.New("the iterator is a function literal: lock inside it, or return a copy"))
			return
		}
		attach(snapshotSeqFix(pass, call))
	case kindNilCollect:
		call, ok := f.hazard.(*ast.CallExpr)
		if !ok {
			attach(analysis.SuggestedFix{}, errors.New("the collecting call was not found"))
			return
		}
		attach(nonNilCollectFix(pass, call))
	}
}

// slicesPlan is the switch of one file from golang.org/x/exp/slices to
// the standard slices package.
type slicesPlan struct {
	// blocker says why the file cannot switch ("" when it can).
	blocker string
	// cmps holds the calls whose less func becomes a cmp func, with the
	// source of that func.
	cmps map[*ast.CallExpr]string
}

// expSlicesPlan works out whether a file's x/exp/slices import can become
// "slices": not when it is aliased, when a use is not a call of a function
// with a standard version at the file's Go version, when a less func
// cannot be converted to a cmp func, or when the standard package is
// imported already.
func expSlicesPlan(pass *analysis.Pass, file *ast.File) slicesPlan {
	var name string
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		switch {
		case p == "slices":
			return slicesPlan{blocker: "the file imports both slices packages"}
		case p == expSlicesPath:
			name = "slices"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	if name != "slices" {
		return slicesPlan{blocker: "golang.org/x/exp/slices is imported under another name"}
	}
	goVersion := pass.TypesInfo.FileVersions[file]
	plan := slicesPlan{cmps: map[*ast.CallExpr]string{}}
	calls := map[ast.Expr]*ast.CallExpr{} // Fun -> call
	ast.Inspect(file, func(n ast.Node) bool {
		if plan.blocker != "" {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			calls[ast.Unparen(call.Fun)] = call
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		pkg, ok := pass.TypesInfo.Uses[id].(*types.PkgName)
		if !ok || pkg.Imported().Path() != expSlicesPath {
			return true
		}
		fn, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Func)
		since, moved := stdSlicesSince[sel.Sel.Name]
		switch {
		case !ok || !moved:
			plan.blocker = "the file also uses slices." + sel.Sel.Name + ", which the standard package does not have"
		case version.IsValid(goVersion) && version.Compare(goVersion, since) < 0:
			plan.blocker = "slices." + sel.Sel.Name + " needs " + since
		case cmpChanged[fn.Name()] && takesLess(fn):
			call := calls[sel]
			if call == nil || len(call.Args) == 0 || call.Ellipsis.IsValid() {
				plan.blocker = "slices." + fn.Name() + " is used with a less func outside a plain call"
				return true
			}
			src, err := cmpFromLessFix(pass, file, call.Args[len(call.Args)-1])
			if err != nil {
				plan.blocker = "slices." + fn.Name() + " takes a less func here and the standard one a cmp func: " + err.Error()
				return true
			}
			plan.cmps[call] = src
		}
		return true
	})
	return plan
}

// expMapsPlan returns the file's calls of golang.org/x/exp/maps when the
// whole file can move to the standard package, or why it cannot.
func expMapsPlan(pass *analysis.Pass, file *ast.File) ([]*ast.CallExpr, string) {
	name := ""
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		switch {
		case p == "maps":
			return nil, "the file imports both maps packages"
		case p == expSlicesPath:
			return nil, "the file imports golang.org/x/exp/slices: switch it to the standard slices first"
		case p == expMapsPath:
			name = "maps"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	if name != "maps" {
		return nil, "golang.org/x/exp/maps is imported under another name"
	}
	var calls []*ast.CallExpr
	reason := ""
	need := "go1.21"
	ast.Inspect(file, func(n ast.Node) bool {
		if reason != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && isPkg(pass, sel.X, expMapsPath) {
				calls = append(calls, n)
				if sel.Sel.Name == "Keys" || sel.Sel.Name == "Values" {
					need = "go1.23"
				}
			}
		case *ast.SelectorExpr:
			if isPkg(pass, n.X, expMapsPath) && !slices.ContainsFunc(calls, func(c *ast.CallExpr) bool { return ast.Unparen(c.Fun) == n }) {
				reason = "the file uses maps." + n.Sel.Name + " as a value, not in a call"
			}
		}
		return true
	})
	if reason != "" {
		return nil, reason
	}
	if !rewrite.FileAtLeast(pass, file, need) {
		if need == "go1.23" {
			return nil, "the standard maps.Keys and maps.Values need go1.23 (the file's Go version is older or unknown)"
		}
		return nil, "the standard maps package needs go1.21 (the file's Go version is older or unknown)"
	}
	return calls, ""
}

// isPkg reports whether e names the import of path.
func isPkg(pass *analysis.Pass, e ast.Expr, path string) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	pn, ok := pass.TypesInfo.Uses[id].(*types.PkgName)
	return ok && pn.Imported().Path() == path
}

func zeroingUsed(pass *analysis.Pass, file *ast.File) bool {
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && zeroingSlices[sel.Sel.Name] {
			if fn, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == expSlicesPath {
				found = true
			}
		}
		return !found
	})
	return found
}
