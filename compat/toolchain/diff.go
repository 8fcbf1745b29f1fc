package toolchain

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/compat/report"
)

// maxOutputLines bounds the output quoted per finding.
const maxOutputLines = 40

// diffRuns compares outcomes per package and per test.
func diffRuns(oldRun, newRun *sideRun, opts Options) []report.Finding {
	var out []report.Finding
	rel := func(run *sideRun, pkg string) string {
		if pkg == run.modPath {
			return "."
		}
		if r, ok := strings.CutPrefix(pkg, run.modPath+"/"); ok {
			return r
		}
		return pkg
	}
	// Key packages by module-relative path so that a module path change
	// does not hide everything.
	oldPkgs, newPkgs := map[string]string{}, map[string]string{}
	for p := range oldRun.result.Packages {
		oldPkgs[rel(oldRun, p)] = p
	}
	for p := range newRun.result.Packages {
		newPkgs[rel(newRun, p)] = p
	}
	keys := slices.Sorted(maps.Keys(union(oldPkgs, newPkgs)))
	for _, k := range keys {
		op, np := oldPkgs[k], newPkgs[k]
		oo, no := outcome(oldRun.result.Packages, op), outcome(newRun.result.Packages, np)
		group := "package " + firstNonEmpty(np, op)
		if oo == BuildFail || no == BuildFail {
			if oo == no {
				continue
			}
			f := report.Finding{Group: group, Symbol: firstNonEmpty(np, op)}
			switch {
			case no == BuildFail:
				f.Rule = RuleBuildRegression
				f.Message = fmt.Sprintf("builds under %s (%s) but not under %s", opts.Old, oo, opts.New)
				f.Details = []string{clip(outputOf(newRun, np, ""))}
				f.Head = firstErrorPos(outputOf(newRun, np, ""), k)
			default:
				f.Rule = RuleBuildFixed
				f.Message = fmt.Sprintf("builds under %s (%s) but not under %s", opts.New, no, opts.Old)
				f.Details = []string{clip(outputOf(oldRun, op, ""))}
				f.Base = firstErrorPos(outputOf(oldRun, op, ""), k)
			}
			f.Level = ruleLevel(f.Rule)
			out = append(out, f)
			continue
		}
		out = append(out, diffTests(oldRun, newRun, op, np, k, group, opts)...)
	}
	return out
}

func diffTests(oldRun, newRun *sideRun, op, np, relDir, group string, opts Options) []report.Finding {
	var out []report.Finding
	tests := map[string]bool{}
	for key := range oldRun.result.Tests {
		if pkg, test, _ := strings.Cut(key, "\x00"); pkg == op {
			tests[test] = true
		}
	}
	for key := range newRun.result.Tests {
		if pkg, test, _ := strings.Cut(key, "\x00"); pkg == np {
			tests[test] = true
		}
	}
	for _, test := range slices.Sorted(maps.Keys(tests)) {
		oo := outcome(oldRun.result.Tests, testKey(op, test))
		no := outcome(newRun.result.Tests, testKey(np, test))
		if oo == no {
			continue
		}
		f := report.Finding{Group: group, Symbol: firstNonEmpty(np, op) + "." + test}
		switch {
		case oo == Pass && no == Fail:
			f.Rule = RuleRegression
			f.Message = fmt.Sprintf("%s passes under %s but fails under %s", test, opts.Old, opts.New)
			f.Details = []string{clip(outputOf(newRun, np, test))}
		case oo == Fail && no == Pass:
			f.Rule = RuleFixed
			f.Message = fmt.Sprintf("%s passes under %s but fails under %s", test, opts.New, opts.Old)
			f.Details = []string{clip(outputOf(oldRun, op, test))}
		default:
			f.Rule = RuleOutcomeChanged
			f.Message = fmt.Sprintf("%s: %s under %s, %s under %s", test, oo, opts.Old, no, opts.New)
			if oo == Pass && no != Pass {
				f.Rule = RuleRegression
				f.Message = fmt.Sprintf("%s passes under %s but is %s under %s", test, opts.Old, no, opts.New)
			}
			if d := outputOf(newRun, np, test); d != "" {
				f.Details = []string{clip(d)}
			}
		}
		f.Level = ruleLevel(f.Rule)
		f.Base = testPos(oldRun, relDir, test)
		f.Head = testPos(newRun, relDir, test)
		out = append(out, f)
	}
	return out
}

func union(a, b map[string]string) map[string]string {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func outcome(m map[string]Outcome, key string) Outcome {
	if o, ok := m[key]; ok {
		return o
	}
	return Absent
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func outputOf(run *sideRun, pkg, test string) string {
	key := pkg
	if test != "" {
		key = testKey(pkg, test)
	}
	b := run.result.Output[key]
	if b == nil {
		return ""
	}
	return strings.ReplaceAll(b.String(), run.dir+string(filepath.Separator), "")
}

// clip keeps the last lines of long output: the failure is at the end.
func clip(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > maxOutputLines {
		lines = append([]string{fmt.Sprintf("... %d lines omitted", len(lines)-maxOutputLines)}, lines[len(lines)-maxOutputLines:]...)
	}
	return strings.Join(lines, "\n")
}

var compilerPos = regexp.MustCompile(`(?m)^(?:\./)?([^\s:#]+\.go):(\d+)(?::(\d+))?:`)

// firstErrorPos finds the first file:line in compiler output. Paths are
// relative to the package directory (go1.2x) or to the module root.
func firstErrorPos(output, relDir string) *report.Position {
	m := compilerPos.FindStringSubmatch(output)
	if m == nil {
		return nil
	}
	file := m[1]
	if !strings.Contains(file, "/") && relDir != "." {
		file = relDir + "/" + file
	}
	p := &report.Position{File: filepath.ToSlash(file)}
	fmt.Sscan(m[2], &p.Line)
	if m[3] != "" {
		fmt.Sscan(m[3], &p.Column)
	}
	return p
}

// testPos finds the declaration of a top-level test function in the
// package directory of a side.
func testPos(run *sideRun, relDir, test string) *report.Position {
	name, _, _ := strings.Cut(test, "/")
	dir := filepath.Join(run.dir, filepath.FromSlash(relDir))
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	decl := regexp.MustCompile(`(?m)^func ` + regexp.QuoteMeta(name) + `\(`)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		if loc := decl.FindIndex(data); loc != nil {
			line := 1 + strings.Count(string(data[:loc[0]]), "\n")
			return &report.Position{File: filepath.ToSlash(filepath.Join(relDir, filepath.Base(file))), Line: line, Column: 6}
		}
	}
	return nil
}
