package api

import (
	"fmt"
	"go/version"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/upshift-dev/upshift/compat/report"
)

// compareGoMod diffs the go.mod files: module path, go and toolchain
// lines, requirements, retractions and replacements.
func compareGoMod(base, head *Module) []report.Finding {
	b, h := base.GoMod, head.GoMod
	var out []report.Finding
	add := func(rule, symbol, msg string, bl, hl *modfile.Line) {
		f := report.Finding{Rule: rule, Group: "go.mod", Symbol: symbol, Message: msg}
		if bl != nil {
			f.Base = &report.Position{File: "go.mod", Line: bl.Start.Line}
		}
		if hl != nil {
			f.Head = &report.Position{File: "go.mod", Line: hl.Start.Line}
		}
		out = append(out, withLevel(f))
	}

	if b.Module.Mod.Path != h.Module.Mod.Path {
		add(RuleModulePath, "module", fmt.Sprintf("module path changed from %s to %s", b.Module.Mod.Path, h.Module.Mod.Path), b.Module.Syntax, h.Module.Syntax)
	}

	bgo, hgo := goVersion(b), goVersion(h)
	if c := compareGo(bgo, hgo); c != 0 {
		var bl, hl *modfile.Line
		if b.Go != nil {
			bl = b.Go.Syntax
		}
		if h.Go != nil {
			hl = h.Go.Syntax
		}
		if c < 0 {
			add(RuleGoRaised, "go", fmt.Sprintf("go line raised from %s to %s: dependents need go%s or newer, and the module's language version and GODEBUG defaults change", bgo, hgo, hgo), bl, hl)
		} else {
			add(RuleGoLowered, "go", fmt.Sprintf("go line lowered from %s to %s", bgo, hgo), bl, hl)
		}
	}

	bt, ht := toolchainName(b), toolchainName(h)
	if bt != ht {
		var bl, hl *modfile.Line
		if b.Toolchain != nil {
			bl = b.Toolchain.Syntax
		}
		if h.Toolchain != nil {
			hl = h.Toolchain.Syntax
		}
		add(RuleToolchainChanged, "toolchain", fmt.Sprintf("toolchain line changed from %s to %s", orNone(bt), orNone(ht)), bl, hl)
	}

	breq := map[string]*modfile.Require{}
	for _, r := range b.Require {
		breq[r.Mod.Path] = r
	}
	hreq := map[string]*modfile.Require{}
	for _, r := range h.Require {
		hreq[r.Mod.Path] = r
	}
	for _, r := range b.Require {
		sym := "require " + r.Mod.Path
		hr := hreq[r.Mod.Path]
		if hr == nil {
			add(RuleRequireRemoved, sym, fmt.Sprintf("requirement %s %s removed%s", r.Mod.Path, r.Mod.Version, indirect(r)), r.Syntax, nil)
			continue
		}
		switch c := semver.Compare(r.Mod.Version, hr.Mod.Version); {
		case c < 0:
			add(RuleRequireUpgraded, sym, fmt.Sprintf("%s upgraded from %s to %s%s", r.Mod.Path, r.Mod.Version, hr.Mod.Version, indirect(hr)), r.Syntax, hr.Syntax)
		case c > 0:
			add(RuleRequireDowngraded, sym, fmt.Sprintf("%s downgraded from %s to %s%s", r.Mod.Path, r.Mod.Version, hr.Mod.Version, indirect(hr)), r.Syntax, hr.Syntax)
		}
	}
	for _, r := range h.Require {
		if breq[r.Mod.Path] == nil {
			add(RuleRequireAdded, "require "+r.Mod.Path, fmt.Sprintf("requirement %s %s added%s", r.Mod.Path, r.Mod.Version, indirect(r)), nil, r.Syntax)
		}
	}

	bret := map[modfile.VersionInterval]*modfile.Retract{}
	for _, r := range b.Retract {
		bret[r.VersionInterval] = r
	}
	hret := map[modfile.VersionInterval]*modfile.Retract{}
	for _, r := range h.Retract {
		hret[r.VersionInterval] = r
	}
	for _, r := range h.Retract {
		if bret[r.VersionInterval] == nil {
			msg := "retracted " + interval(r.VersionInterval)
			if r.Rationale != "" {
				msg += ": " + r.Rationale
			}
			add(RuleRetractAdded, "retract "+interval(r.VersionInterval), msg, nil, r.Syntax)
		}
	}
	for _, r := range b.Retract {
		if hret[r.VersionInterval] == nil {
			add(RuleRetractRemoved, "retract "+interval(r.VersionInterval), "retraction of "+interval(r.VersionInterval)+" removed", r.Syntax, nil)
		}
	}

	brep := map[string]*modfile.Replace{}
	for _, r := range b.Replace {
		brep[r.Old.String()] = r
	}
	hrep := map[string]*modfile.Replace{}
	for _, r := range h.Replace {
		hrep[r.Old.String()] = r
	}
	for _, r := range h.Replace {
		if br := brep[r.Old.String()]; br == nil || br.New != r.New {
			add(RuleReplaceChanged, "replace "+r.Old.String(), fmt.Sprintf("replace %s => %s (dependents ignore replace directives)", r.Old, r.New), nil, r.Syntax)
		}
	}
	for _, r := range b.Replace {
		if hrep[r.Old.String()] == nil {
			add(RuleReplaceChanged, "replace "+r.Old.String(), fmt.Sprintf("replace %s => %s removed", r.Old, r.New), r.Syntax, nil)
		}
	}
	return out
}

// goVersion returns the go line, defaulting to 1.16 as the go command does
// for a go.mod without one.
func goVersion(f *modfile.File) string {
	if f.Go == nil {
		return "1.16"
	}
	return f.Go.Version
}

// compareGo compares go line versions ("1.21", "1.21.3", "1.21rc1").
func compareGo(a, b string) int {
	return version.Compare("go"+a, "go"+b)
}

func toolchainName(f *modfile.File) string {
	if f.Toolchain == nil {
		return ""
	}
	return f.Toolchain.Name
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func indirect(r *modfile.Require) string {
	if r.Indirect {
		return " (indirect)"
	}
	return ""
}

func interval(v modfile.VersionInterval) string {
	if v.Low == v.High {
		return v.Low
	}
	return "[" + v.Low + ", " + v.High + "]"
}
