package api

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"

	"github.com/upshift-dev/upshift/compat/report"
)

// Compare diffs the public API and the go.mod of two versions of a module.
// The report's verdict is the semver bump the change needs (major, minor
// or patch) and its reasons list every finding that forces it.
func Compare(base, head *Module) *report.Report {
	r := &report.Report{Command: "api", Rules: Rules}
	r.Findings = append(r.Findings, comparePackages(base, head)...)
	r.Findings = append(r.Findings, compareGoMod(base, head)...)
	r.Sort()
	return r
}

// Decide sets the report's semver verdict and its reasons from the
// unsuppressed findings. Call it after suppressions are applied.
func Decide(r *report.Report) {
	r.Reasons = nil
	var major, minor []string
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			continue
		}
		reason := fmt.Sprintf("%s %s: %s", f.Rule, f.Symbol, f.Message)
		if pos := firstPos(f); pos != "" {
			reason += " (" + pos + ")"
		}
		switch {
		case f.Level == report.LevelError || f.Level == report.LevelWarning:
			major = append(major, "major: "+reason)
		case minorRules[f.Rule]:
			minor = append(minor, "minor: "+reason)
		}
	}
	switch {
	case len(major) > 0:
		r.Verdict = "major"
	case len(minor) > 0:
		r.Verdict = "minor"
	default:
		r.Verdict = "patch"
		r.Reasons = []string{"patch: no change to the public API or to the module's requirements"}
	}
	r.Reasons = append(append(r.Reasons, major...), minor...)
}

func firstPos(f report.Finding) string {
	if f.Head != nil {
		return "head " + f.Head.String()
	}
	if f.Base != nil {
		return "base " + f.Base.String()
	}
	return ""
}

// comparePackages pairs the public packages of both sides by their
// module-relative path and runs apidiff on each pair; it reports removed,
// added and renamed packages itself.
func comparePackages(base, head *Module) []report.Finding {
	var out []report.Finding
	headByRel := map[string]*packages.Package{}
	for _, p := range head.Packages {
		if head.isPublic(p) {
			headByRel[head.RelPath(p.PkgPath)] = p
		}
	}
	seen := map[string]bool{}
	for _, bp := range base.Packages {
		if !base.isPublic(bp) {
			continue
		}
		rel := base.RelPath(bp.PkgPath)
		seen[rel] = true
		hp := headByRel[rel]
		if hp == nil {
			f := report.Finding{
				Rule: RulePackageRemoved, Group: bp.PkgPath, Symbol: bp.PkgPath,
				Message: "package removed",
				Base:    packagePos(base, bp),
			}
			if why := notPublicWhy(head, rel); why != "" {
				f.Message = "package " + why
			}
			out = append(out, withLevel(f))
			continue
		}
		if bp.Name != hp.Name {
			out = append(out, withLevel(report.Finding{
				Rule: RulePackageRenamed, Group: bp.PkgPath, Symbol: bp.PkgPath,
				Message: fmt.Sprintf("package name changed from %s to %s: importers without an explicit import name break", bp.Name, hp.Name),
				Base:    packagePos(base, bp), Head: packagePos(head, hp),
			}))
		}
		rep := apidiff.Changes(bp.Types, hp.Types)
		for _, c := range rep.Changes {
			out = append(out, changeFinding(base, head, bp, hp, c))
		}
	}
	for _, hp := range head.Packages {
		if !head.isPublic(hp) || seen[head.RelPath(hp.PkgPath)] {
			continue
		}
		out = append(out, withLevel(report.Finding{
			Rule: RulePackageAdded, Group: hp.PkgPath, Symbol: hp.PkgPath,
			Message: "package added", Head: packagePos(head, hp),
		}))
	}
	return out
}

// notPublicWhy explains a package that still exists but left the API.
func notPublicWhy(m *Module, rel string) string {
	if p := m.Package(rel); p != nil {
		if p.Name == "main" {
			return "became a main package"
		}
		return "became internal"
	}
	return ""
}

func withLevel(f report.Finding) report.Finding {
	f.Level = ruleLevel(f.Rule)
	return f
}

func packagePos(m *Module, p *packages.Package) *report.Position {
	if len(p.Syntax) == 0 {
		return nil
	}
	// The file with the package doc comment, or the first one.
	f := p.Syntax[0]
	for _, s := range p.Syntax {
		if s.Doc != nil {
			f = s
			break
		}
	}
	return tokenPos(m, f.Name.Pos())
}

var kindChange = regexp.MustCompile(`^changed from (const|var|func|type) to (const|var|func|type)$`)

// changeFinding turns one apidiff message ("T.F: removed") into a finding
// with a stable rule and the declaration's position on each side.
func changeFinding(base, head *Module, bp, hp *packages.Package, c apidiff.Change) report.Finding {
	name, msg, _ := strings.Cut(c.Message, ": ")
	f := report.Finding{Group: bp.PkgPath, Message: msg}
	f.Rule = classify(msg, c.Compatible)
	objName, part, _ := strings.Cut(name, ", ")
	symPkg := bp.PkgPath
	if f.Rule == RuleAdded {
		symPkg = hp.PkgPath
	}
	f.Symbol = qualify(symPkg, objName)
	if part != "" {
		f.Message = part + ": " + msg
	}
	if obj := lookup(bp.Types, objName); obj != nil {
		f.Base = objPos(base, obj)
	}
	if obj := lookup(hp.Types, objName); obj != nil {
		f.Head = objPos(head, obj)
	}
	return withLevel(f)
}

// qualify prefixes an apidiff object name with its package path, unless
// apidiff already did (objects from other packages).
func qualify(pkgPath, objName string) string {
	if isForeign(objName) {
		return objName
	}
	return pkgPath + "." + objName
}

func isForeign(objName string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(objName, "("), ".")
	return strings.Contains(first, "/")
}

func classify(msg string, compatible bool) string {
	if compatible {
		switch {
		case msg == "added":
			return RuleAdded
		case strings.HasPrefix(msg, "changed from"), msg == "removed direction":
			return RuleCompatibleChange
		}
		return RuleOtherCompatible
	}
	switch {
	case msg == "removed":
		return RuleRemoved
	case kindChange.MatchString(msg):
		return RuleKindChanged
	case strings.HasPrefix(msg, "changed from"):
		return RuleTypeChanged
	case strings.HasPrefix(msg, "value changed from"):
		return RuleConstValueChanged
	case strings.HasPrefix(msg, "no longer implements"):
		return RuleNoLongerImplements
	case msg == "added":
		return RuleInterfaceMethodAdded
	case msg == "added unexported method":
		return RuleUnexportedMethod
	case msg == "old is comparable, new is not":
		return RuleNotComparable
	case msg == "changed direction":
		return RuleChanDirection
	}
	return RuleOtherIncompatible
}

// lookup resolves an apidiff object name ("F", "T.Field", "(*T).M",
// "I.M", "example.com/other.T") to the declared object in pkg. It follows
// fields and methods through embedding, as the selector would.
func lookup(pkg *types.Package, name string) types.Object {
	if isForeign(name) {
		return nil
	}
	name = strings.Replace(strings.TrimPrefix(name, "("), "*", "", 1)
	name = strings.Replace(name, ")", "", 1)
	parts := strings.Split(name, ".")
	obj := pkg.Scope().Lookup(parts[0])
	for _, sel := range parts[1:] {
		if obj == nil {
			return nil
		}
		next, _, _ := types.LookupFieldOrMethod(obj.Type(), true, pkg, sel)
		obj = next
	}
	return obj
}

func objPos(m *Module, obj types.Object) *report.Position {
	return tokenPos(m, obj.Pos())
}

func tokenPos(m *Module, pos token.Pos) *report.Position {
	file, line, col := m.Position(pos)
	if file == "" {
		return nil
	}
	return &report.Position{File: file, Line: line, Column: col}
}
