package deps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"

	"github.com/upshift-dev/upshift/compat/report"
)

// Rule IDs of `upshift compat deps` that come from the API diff; the
// hazards' IDs (DEP1nn and up) come from the migration table.
const (
	RuleRemoved        = "DEP001"
	RuleChanged        = "DEP002"
	RulePackageMissing = "DEP003"
)

var apiRules = []report.Rule{
	{ID: RuleRemoved, Name: "removed-api-used", Summary: "the code uses an identifier the new version no longer has", Level: report.LevelError},
	{ID: RuleChanged, Name: "changed-api-used", Summary: "the code uses an identifier whose type or kind changed incompatibly", Level: report.LevelError},
	{ID: RulePackageMissing, Name: "package-missing", Summary: "the code imports a package the new version does not have", Level: report.LevelError},
}

// Rules returns every rule of `compat deps`: the API rules and one per
// hazard of the migration table, in ID order.
func Rules() []report.Rule {
	out := slices.Clone(apiRules)
	for _, m := range Table() {
		for _, h := range m.Hazards {
			out = append(out, report.Rule{ID: h.Rule, Name: h.Name, Summary: h.Message, Level: report.LevelWarning})
		}
	}
	slices.SortFunc(out, func(a, b report.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// ErrNotRequired is returned by Resolve when go.mod does not require the
// module to move.
var ErrNotRequired = errors.New("not required")

// Options configures Analyze.
type Options struct {
	// Dir is the directory the patterns are relative to.
	Dir string
	// Patterns are the user's packages; default ./...
	Patterns []string
	// Module is the required module to move away from.
	Module string
	// To is the target: a module path with an optional @version (default
	// latest) or a standard library package path.
	To string
	// Tests includes test files.
	Tests bool
	// Tags are extra build tags, comma-separated.
	Tags string
}

// Target is a resolved move.
type Target struct {
	// OldPath and OldVersion name the required module.
	OldPath, OldVersion string
	// NewPath and NewVersion name the target; NewVersion is empty for a
	// standard library package.
	NewPath, NewVersion string
	// Migration is the table entry for the move, or nil.
	Migration *Migration
}

// NewPackage maps an old package path to the new one, or "" when the
// target has no counterpart.
func (t *Target) NewPackage(old string) string {
	var explicit map[string]string
	if t.Migration != nil {
		explicit = t.Migration.Packages
	}
	return mapPackage(t.OldPath, t.NewPath, explicit, old)
}

// ParseTo splits NEW[@VERSION].
func ParseTo(to string) (path, version string) {
	path, version, _ = strings.Cut(to, "@")
	return path, version
}

// Resolve checks the move against the module's go.mod and resolves the
// target version through the go command.
func Resolve(ctx context.Context, mod *ModuleFile, module, to string) (*Target, error) {
	if module == "" {
		return nil, fmt.Errorf("-module is required")
	}
	if to == "" {
		return nil, fmt.Errorf("-to is required")
	}
	oldV := mod.Require(module)
	if oldV == "" {
		return nil, fmt.Errorf("-module %s: %w by %s", module, ErrNotRequired, mod.Path)
	}
	path, version := ParseTo(to)
	t := &Target{OldPath: module, OldVersion: oldV, NewPath: path, Migration: Find(module, path)}
	if IsStd(path) {
		if version != "" {
			return nil, fmt.Errorf("-to %s: a standard library package takes no version", to)
		}
		return t, nil
	}
	if version == "" {
		version = "latest"
	}
	v, err := ResolveVersion(ctx, path, version)
	if err != nil {
		return nil, fmt.Errorf("-to %s: %w", to, err)
	}
	if path == module && v == oldV {
		return nil, fmt.Errorf("-to %s: %s is already at %s", to, module, v)
	}
	t.NewVersion = v
	return t, nil
}

// Analyze loads the user's packages, diffs the API of every old package
// they import against its new counterpart, and reports each use of a
// removed or changed identifier and each site of a known hazard.
func Analyze(ctx context.Context, opts Options) (*report.Report, error) {
	mod, err := FindModule(ctx, opts.Dir)
	if err != nil {
		return nil, err
	}
	tgt, err := Resolve(ctx, mod, opts.Module, opts.To)
	if err != nil {
		return nil, err
	}
	pkgs, fset, err := loadUser(ctx, opts)
	if err != nil {
		return nil, err
	}
	return analyze(ctx, mod, tgt, pkgs, fset)
}

func loadUser(ctx context.Context, opts Options) ([]*packages.Package, *token.FileSet, error) {
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedImports | packages.NeedModule,
		Dir:   opts.Dir,
		Tests: opts.Tests,
		Fset:  fset,
		Env:   append(os.Environ(), "GOWORK=off"),
	}
	if opts.Tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.Tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	var problems []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			problems = append(problems, e.Error())
		}
	})
	if len(problems) > 0 {
		slices.Sort(problems)
		problems = slices.Compact(problems)
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("... and %d more", len(problems)-10))
		}
		return nil, nil, fmt.Errorf("the packages do not load:\n\t%s", strings.Join(problems, "\n\t"))
	}
	if len(pkgs) == 0 {
		return nil, nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	return pkgs, fset, nil
}

// oldPackages returns the old module's packages the user's packages
// import directly, by path.
func oldPackages(pkgs []*packages.Package, module string) map[string]*types.Package {
	out := map[string]*types.Package{}
	for _, p := range pkgs {
		for _, imp := range p.Types.Imports() {
			if inModule(imp.Path(), module) {
				if _, ok := out[imp.Path()]; !ok {
					out[imp.Path()] = imp
				}
			}
		}
	}
	return out
}

func inModule(pkgPath, module string) bool {
	return pkgPath == module || strings.HasPrefix(pkgPath, module+"/")
}

// change is one incompatible apidiff change, keyed by the object name
// normalised to "F", "T" or "T.M".
type change struct {
	msg  string
	rule string
}

// diffs runs apidiff on each old package against its counterpart and
// returns, per old package path, the incompatible changes by object name;
// missing lists the old packages without a counterpart.
func diffs(oldPkgs map[string]*types.Package, newPkgs map[string]*types.Package, tgt *Target) (map[string]map[string]change, map[string]bool) {
	out := map[string]map[string]change{}
	missing := map[string]bool{}
	for path, oldT := range oldPkgs {
		newT := newPkgs[tgt.NewPackage(path)]
		if newT == nil {
			missing[path] = true
			continue
		}
		m := map[string]change{}
		for _, c := range apidiff.Changes(oldT, newT).Changes {
			if c.Compatible {
				continue
			}
			name, msg, _ := strings.Cut(c.Message, ": ")
			name, part, _ := strings.Cut(name, ", ")
			name = normalizeName(name)
			if part != "" {
				msg = part + ": " + msg
			}
			rule := RuleChanged
			if msg == "removed" {
				rule = RuleRemoved
			}
			if _, ok := m[name]; !ok || rule == RuleRemoved {
				m[name] = change{msg: msg, rule: rule}
			}
		}
		out[path] = m
	}
	return out, missing
}

// normalizeName turns apidiff's "(*T).M" into "T.M".
func normalizeName(s string) string {
	s = strings.Replace(s, "(*", "", 1)
	s = strings.Replace(s, ")", "", 1)
	return s
}

// objectKey names a used object of an old package the way the table and
// apidiff do: "F", "T", "T.M", "T.Field". fields maps struct fields to
// their declaring type.
func objectKey(obj types.Object, fields map[*types.Var]string) string {
	switch o := obj.(type) {
	case *types.Func:
		if o.Signature().Recv() != nil {
			if r := kit.RecvName(o); r != "" {
				return r + "." + o.Name()
			}
			return ""
		}
	case *types.Var:
		if o.IsField() {
			if owner, ok := fields[o]; ok {
				return owner + "." + o.Name()
			}
			return ""
		}
	}
	if obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() {
		return obj.Name()
	}
	return ""
}

// structFields maps the fields of the named struct types of pkg to their
// type's name, and the methods of its named interfaces likewise.
func structFields(pkg *types.Package, into map[*types.Var]string) {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				into[st.Field(i)] = name
			}
		}
	}
}

// site is one reported place.
type site struct {
	file      string
	line, col int
	rule      string
	symbol    string
}

func analyze(ctx context.Context, mod *ModuleFile, tgt *Target, pkgs []*packages.Package, fset *token.FileSet) (*report.Report, error) {
	oldPkgs := oldPackages(pkgs, tgt.OldPath)
	r := &report.Report{
		Command: "deps",
		Base:    tgt.OldPath + "@" + tgt.OldVersion,
		Head:    tgt.NewPath,
		Rules:   Rules(),
	}
	if tgt.NewVersion != "" {
		r.Head += "@" + tgt.NewVersion
	}
	if len(oldPkgs) == 0 {
		r.Notes = []string{fmt.Sprintf("no package matched by the patterns imports %s", tgt.OldPath)}
		r.Findings = []report.Finding{}
		decide(r)
		return r, nil
	}
	var wantNew []string
	for path := range oldPkgs {
		if np := tgt.NewPackage(path); np != "" {
			wantNew = append(wantNew, np)
		}
	}
	slices.Sort(wantNew)
	wantNew = slices.Compact(wantNew)
	newPkgs, err := LoadAPI(ctx, tgt.NewPath, tgt.NewVersion, wantNew)
	if err != nil {
		return nil, err
	}
	changes, missing := diffs(oldPkgs, newPkgs, tgt)
	fields := map[*types.Var]string{}
	for _, p := range oldPkgs {
		structFields(p, fields)
	}
	var hazards []Hazard
	if tgt.Migration != nil {
		hazards = tgt.Migration.Hazards
	}
	rel := func(pos token.Pos) (string, int, int) {
		p := fset.Position(pos)
		file := p.Filename
		if rp, err := filepath.Rel(mod.Root, file); err == nil && !strings.HasPrefix(rp, "..") {
			file = filepath.ToSlash(rp)
		}
		return file, p.Line, p.Column
	}
	seen := map[site]bool{}
	importers := map[string]bool{}
	add := func(f report.Finding) {
		s := site{file: f.Head.File, line: f.Head.Line, col: f.Head.Column, rule: f.Rule, symbol: f.Symbol}
		if !seen[s] {
			seen[s] = true
			r.Findings = append(r.Findings, f)
		}
	}
	seenFile := map[string]bool{}
	for _, p := range pkgs {
		group := strings.TrimSuffix(p.PkgPath, "_test")
		for _, file := range p.Syntax {
			name := fset.File(file.FileStart).Name()
			if seenFile[name] {
				continue // test variants repeat the package's files
			}
			seenFile[name] = true
			imports := false
			for _, spec := range file.Imports {
				path := strings.Trim(spec.Path.Value, `"`)
				if !inModule(path, tgt.OldPath) {
					continue
				}
				imports = true
				f, line, col := rel(spec.Pos())
				importers[f] = true
				if missing[path] {
					add(report.Finding{
						Rule: RulePackageMissing, Level: report.LevelError, Group: group, Symbol: path,
						Message: fmt.Sprintf("package %s has no counterpart in %s", path, r.Head),
						Head:    &report.Position{File: f, Line: line, Column: col},
						Advice:  "rewrite the uses of this package by hand",
					})
				}
			}
			if !imports {
				continue
			}
			var stack []ast.Node
			ast.Inspect(file, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				stack = append(stack, n)
				switch n := n.(type) {
				case *ast.Ident:
					obj := p.TypesInfo.Uses[n]
					if obj == nil || obj.Pkg() == nil || oldPkgs[obj.Pkg().Path()] == nil {
						return true
					}
					pkgPath := obj.Pkg().Path()
					key := objectKey(obj, fields)
					if key == "" {
						return true
					}
					f, line, col := rel(n.Pos())
					pos := &report.Position{File: f, Line: line, Column: col}
					covered := false
					for _, h := range hazards {
						if h.Package == pkgPath && slices.Contains(h.Symbols, key) {
							covered = true
							if h.Unless == UnlessNonNil && firstArgNonNil(p.TypesInfo, stack) {
								covered = false
								continue
							}
							add(hazardFinding(h, group, pkgPath+"."+key, pos, changeDetail(changes[pkgPath], key, r.Head)))
						}
					}
					if typ, _, ok := strings.Cut(key, "."); ok && !covered {
						// A field or method of a type a hazard already
						// names is reported at the type's uses.
						for _, h := range hazards {
							if h.Package == pkgPath && slices.Contains(h.Symbols, typ) {
								covered = true
							}
						}
					}
					if covered {
						return true
					}
					if c, name, ok := lookupChange(changes[pkgPath], key); ok {
						add(report.Finding{
							Rule: c.rule, Level: report.LevelError, Group: group, Symbol: pkgPath + "." + key,
							Message: changedMessage(name, key, c.msg, newPkgName(tgt, pkgPath)),
							Head:    pos,
							Advice:  replacementFor(tgt, key),
						})
					}
				case *ast.TypeAssertExpr:
					if n.Type != nil {
						checkAssert(p, n.Type, hazards, group, rel, add)
					}
				case *ast.TypeSwitchStmt:
					for _, stmt := range n.Body.List {
						for _, e := range stmt.(*ast.CaseClause).List {
							checkAssert(p, e, hazards, group, rel, add)
						}
					}
				}
				return true
			})
		}
	}
	if len(importers) > 0 && tgt.NewPath != tgt.OldPath {
		r.Notes = append(r.Notes, fmt.Sprintf("%d file(s) import %s; `upshift fix -move %s=%s` rewrites the imports and the mechanical changes",
			len(importers), tgt.OldPath, tgt.OldPath, tgt.NewPath))
	}
	if tgt.Migration != nil {
		r.Notes = append(r.Notes, fmt.Sprintf("migration table entry %s: %s (%s)", tgt.Migration.ID, tgt.Migration.Summary, strings.Join(tgt.Migration.Sources, ", ")))
	} else {
		r.Notes = append(r.Notes, "no migration table entry for this move: only the API diff was checked, no semantic hazards")
	}
	r.Sort()
	slices.SortStableFunc(r.Findings, func(a, b report.Finding) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Head.File, b.Head.File),
			cmp.Compare(a.Head.Line, b.Head.Line), cmp.Compare(a.Head.Column, b.Head.Column), cmp.Compare(a.Rule, b.Rule))
	})
	decide(r)
	return r, nil
}

// firstArgNonNil reports whether the ident at the end of stack is the
// function of a call (pkg.F(...)) whose first argument is known non-nil.
func firstArgNonNil(info *types.Info, stack []ast.Node) bool {
	if len(stack) < 3 {
		return false
	}
	sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
	if !ok {
		return false
	}
	call, ok := stack[len(stack)-3].(*ast.CallExpr)
	if !ok || call.Fun != sel || len(call.Args) == 0 {
		return false
	}
	return NonNilGuarded(info, stack[:len(stack)-2], call.Args[0])
}

// decide sets the verdict: affected when any finding is unsuppressed.
func decide(r *report.Report) {
	n := r.Counts()
	if n[report.LevelError]+n[report.LevelWarning] == 0 {
		r.Verdict = "unaffected"
		r.Reasons = []string{"no use of a removed or changed API and no known hazard"}
		return
	}
	r.Verdict = "affected"
	byRule := map[string]int{}
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			byRule[f.Rule]++
		}
	}
	var reasons []string
	for _, ru := range r.Rules {
		if c := byRule[ru.ID]; c > 0 {
			reasons = append(reasons, fmt.Sprintf("%s %s: %d site(s)", ru.ID, ru.Name, c))
		}
	}
	r.Reasons = reasons
}

// Decide recomputes the verdict after suppressions were applied.
func Decide(r *report.Report) { decide(r) }

func hazardFinding(h Hazard, group, symbol string, pos *report.Position, detail string) report.Finding {
	f := report.Finding{
		Rule: h.Rule, Level: report.LevelWarning, Group: group, Symbol: symbol,
		Message: h.Message, Head: pos, Advice: h.Replacement,
		Details: []string{"source: " + h.Source},
	}
	if detail != "" {
		f.Details = append([]string{detail}, f.Details...)
	}
	return f
}

func changeDetail(ch map[string]change, key, head string) string {
	if c, name, ok := lookupChange(ch, key); ok {
		return fmt.Sprintf("apidiff: %s: %s in %s", name, c.msg, head)
	}
	return ""
}

// lookupChange finds the change of key or, for "T.M", of its type T.
func lookupChange(ch map[string]change, key string) (change, string, bool) {
	if c, ok := ch[key]; ok {
		return c, key, true
	}
	if typ, _, ok := strings.Cut(key, "."); ok {
		if c, ok := ch[typ]; ok {
			return c, typ, true
		}
	}
	return change{}, "", false
}

func changedMessage(name, key, msg, newPkg string) string {
	if name == key {
		return fmt.Sprintf("%s in %s", msg, newPkg)
	}
	return fmt.Sprintf("its type %s: %s in %s", name, msg, newPkg)
}

func newPkgName(tgt *Target, old string) string {
	if np := tgt.NewPackage(old); np != "" {
		return np
	}
	return tgt.NewPath
}

// replacementFor says what to use instead of a removed name, from the
// table's renames.
func replacementFor(tgt *Target, key string) string {
	if tgt.Migration == nil {
		return ""
	}
	r, ok := tgt.Migration.Renames[key]
	if !ok {
		return ""
	}
	switch r.Kind {
	case RenameCall:
		return "use " + r.To + " (upshift fix -move rewrites it)"
	case RenameWrap, RenameWrapf:
		return "use fmt.Errorf with %w under an err != nil check (upshift fix -move rewrites it)"
	case RenameIdentity:
		return "use the error itself (upshift fix -move rewrites it)"
	}
	return ""
}

// assertTypes are the types a hazard's Assert may name, as built types.
var assertTypes = map[string]types.Type{
	"map[interface{}]interface{}": types.NewMap(types.NewInterfaceType(nil, nil), types.NewInterfaceType(nil, nil)),
	"[]interface{}":               types.NewSlice(types.NewInterfaceType(nil, nil)),
}

func checkAssert(p *packages.Package, e ast.Expr, hazards []Hazard, group string, rel func(token.Pos) (string, int, int), add func(report.Finding)) {
	t := p.TypesInfo.TypeOf(e)
	if t == nil {
		return
	}
	for _, h := range hazards {
		for _, a := range h.Assert {
			if want := assertTypes[a]; want != nil && types.Identical(t, want) {
				f, line, col := rel(e.Pos())
				add(hazardFinding(h, group, a, &report.Position{File: f, Line: line, Column: col}, ""))
			}
		}
	}
}

// AssertType returns the type an Assert entry names, or nil.
func AssertType(name string) types.Type { return assertTypes[name] }
