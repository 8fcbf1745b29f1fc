package iterchange

import (
	"go/ast"
	"go/types"
	"go/version"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/rewrite"
	"github.com/upshift-dev/upshift/rewrite/iterchangefix"
)

// suggest attaches a finding's rewrite, or says why there is none.
// blocked holds, per file, why its x/exp/slices import cannot be switched
// to the standard package as a whole ("" when it can).
func suggest(pass *analysis.Pass, f finding, d *analysis.Diagnostic, blocked map[*ast.File]string) {
	noFix := func(reason string) {
		d.Related = append(d.Related, rewrite.NoFix(f.hazard.Pos(), reason))
	}
	switch f.kind {
	case kindExpSlicesMoved:
		file := fileOf(pass, f.hazard)
		reason, ok := blocked[file]
		if !ok {
			reason = expSlicesBlocker(pass, file)
			blocked[file] = reason
		}
		if reason != "" {
			noFix(reason)
			return
		}
		tier := meta.TierSafe
		if zeroingUsed(pass, file) {
			tier = meta.TierBehavior
		}
		fix, err := iterchangefix.ToStdSlices(pass, f.hazard.Pos(), tier)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	case kindExpSlicesCmp:
		noFix("the comparator must change from less (bool) to cmp (int), which needs a person")
	case kindExpMaps:
		file := fileOf(pass, f.hazard)
		calls, reason := expMapsPlan(pass, file)
		if reason != "" {
			noFix(reason)
			return
		}
		fix, err := iterchangefix.ToStdMaps(pass, file, calls)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	case kindSeqAfterUnlock:
		call, ok := f.hazard.(*ast.CallExpr)
		if !ok {
			noFix("the iterator is a function literal: lock inside it, or return a copy")
			return
		}
		fix, err := iterchangefix.SnapshotSeq(pass, call)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	case kindNilCollect:
		call, ok := f.hazard.(*ast.CallExpr)
		if !ok {
			noFix("the collecting call was not found")
			return
		}
		fix, err := iterchangefix.NonNilCollect(pass, call)
		if err != nil {
			noFix(err.Error())
			return
		}
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
}

// expSlicesBlocker returns why a file's x/exp/slices import cannot simply
// become "slices": an alias, a use that is not a call of a function with
// an identical standard version at the file's Go version, or a standard
// slices import already present.
func expSlicesBlocker(pass *analysis.Pass, file *ast.File) string {
	var name string
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		switch {
		case p == "slices":
			return "the file imports both slices packages"
		case p == iterchangefix.ExpSlicesPath:
			name = "slices"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	if name != "slices" {
		return "golang.org/x/exp/slices is imported under another name"
	}
	goVersion := pass.TypesInfo.FileVersions[file]
	reason := ""
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || reason != "" {
			return reason == ""
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		pkg, ok := pass.TypesInfo.Uses[id].(*types.PkgName)
		if !ok || pkg.Imported().Path() != iterchangefix.ExpSlicesPath {
			return true
		}
		fn, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Func)
		since, moved := stdSlicesSince[sel.Sel.Name]
		switch {
		case !ok || !moved:
			reason = "the file also uses slices." + sel.Sel.Name + ", which the standard package does not have"
		case version.IsValid(goVersion) && version.Compare(goVersion, since) < 0:
			reason = "slices." + sel.Sel.Name + " needs " + since
		case cmpChanged[fn.Name()] && takesLess(fn):
			reason = "the file also calls slices." + fn.Name() + " with a less func, whose comparator must change first"
		}
		return true
	})
	return reason
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
			if fn, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == iterchangefix.ExpSlicesPath {
				found = true
			}
		}
		return !found
	})
	return found
}

func fileOf(pass *analysis.Pass, n ast.Node) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= n.Pos() && n.Pos() <= f.FileEnd {
			return f
		}
	}
	return nil
}
