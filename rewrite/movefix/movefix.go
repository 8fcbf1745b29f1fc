// Package movefix is the codemod behind `upshift fix -move OLD=NEW`: it
// moves a file's imports of a module (or of github.com/pkg/errors) to
// their new path and rewrites the renamed API with the table of
// compat/deps, as one fix per file, so the fix engine type-checks the
// moved file and rolls it back whole if it does not compile. A file that
// uses something no rewrite covers is left alone, each such use reported
// with why; hazards that survive the move are reported for review.
package movefix

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/rewrite"
)

// Name is the analyzer's name, shown in fix outcomes.
const Name = "move"

// FlagSpec is the name of Analyzer's flag that configures the move, as
// go vet takes it: -move.spec=OLD@VERSION=NEW[@VERSION] (see Spec).
const FlagSpec = "spec"

const url = "https://github.com/upshift-dev/upshift/tree/main/rewrite/movefix"

// Analyzer is the move as go vet's tool serves it (registry.ToolOnly):
// one fixed analyzer, configured for a run by its -move.spec flag, since
// a tool process cannot be handed an analyzer built at run time. The
// move's target is rebuilt from the flag in each tool process: its paths
// name the table entry (compiled into the binary) and its versions, and
// the go command keys its vet cache on the flags, so a different move
// never reuses another's results. Without the flag it does nothing:
// go vet runs every analyzer of its tool when none is selected.
var Analyzer = &analysis.Analyzer{
	Name:      Name,
	Doc:       "move a dependency's imports, as upshift fix -move does\n\nConfigured by -move.spec=OLD@VERSION=NEW[@VERSION], it moves the imports\nof OLD to NEW and rewrites the renamed API; without it, it does nothing.",
	URL:       url,
	Run:       runFlag,
	FactTypes: []analysis.Fact{new(blockedFact)},
}

func init() {
	Analyzer.Flags.String(FlagSpec, "", "the move to make, OLD@VERSION=NEW[@VERSION] (set by upshift fix -move)")
}

// runFlag runs the move Analyzer's flag names, or nothing without one.
func runFlag(pass *analysis.Pass) (any, error) {
	spec := pass.Analyzer.Flags.Lookup(FlagSpec).Value.String()
	if spec == "" {
		return nil, nil
	}
	tgt, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	return (&mover{tgt: tgt}).run(pass)
}

// Spec writes a resolved move as the value of Analyzer's -move.spec flag:
// OLD@VERSION=NEW, with @VERSION after NEW for a module target.
func Spec(tgt *deps.Target) string {
	s := tgt.OldPath + "@" + tgt.OldVersion + "=" + tgt.NewPath
	if tgt.NewVersion != "" {
		s += "@" + tgt.NewVersion
	}
	return s
}

// Flags returns the go vet flags that configure Analyzer for the move.
func Flags(tgt *deps.Target) []string {
	return []string{"-" + Name + "." + FlagSpec + "=" + Spec(tgt)}
}

// ParseSpec reads a -move.spec value back into the target Resolve gave,
// its migration table entry included.
func ParseSpec(spec string) (*deps.Target, error) {
	old, to, ok := strings.Cut(spec, "=")
	oldPath, oldVersion, vok := strings.Cut(old, "@")
	newPath, newVersion := deps.ParseTo(to)
	if !ok || !vok || oldPath == "" || oldVersion == "" || newPath == "" {
		return nil, fmt.Errorf("-%s.%s %q: want OLD@VERSION=NEW[@VERSION]", Name, FlagSpec, spec)
	}
	return &deps.Target{OldPath: oldPath, OldVersion: oldVersion, NewPath: newPath, NewVersion: newVersion,
		Migration: deps.Find(oldPath, newPath)}, nil
}

// New returns an analyzer that moves tgt.OldPath to tgt.NewPath, for
// running in process (its tests); upshift fix and migrate run Analyzer
// through go vet, with Flags(tgt).
func New(tgt *deps.Target) *analysis.Analyzer {
	m := &mover{tgt: tgt}
	return &analysis.Analyzer{
		Name:      Name,
		Doc:       "move the imports of " + tgt.OldPath + " to " + tgt.NewPath + " and rewrite the renamed API",
		URL:       url,
		Run:       m.run,
		FactTypes: []analysis.Fact{new(blockedFact)},
	}
}

type mover struct {
	tgt *deps.Target
}

// use is one reference to the old packages in a file.
type use struct {
	id    *ast.Ident
	key   string // "F", "T.M"
	pkg   string
	stack []ast.Node // file ... id
}

// blocker is a use the move cannot rewrite.
type blocker struct {
	pos    token.Pos
	reason string
}

func (m *mover) run(pass *analysis.Pass) (any, error) {
	var plans []*plan
	blocked := ""
	for _, file := range pass.Files {
		p := m.plan(pass, file)
		if p == nil {
			continue
		}
		plans = append(plans, p)
		if len(p.blockers) > 0 && blocked == "" {
			blocked = pass.Fset.Position(p.blockers[0].pos).String()
		}
	}
	// The external test package shares the directory: it moves only when
	// the package it tests moves.
	for _, imp := range pass.Pkg.Imports() {
		var f blockedFact
		if pass.Pkg.Path() == imp.Path()+"_test" && pass.ImportPackageFact(imp, &f) && blocked == "" {
			blocked = f.At
		}
	}
	if blocked != "" {
		pass.ExportPackageFact(&blockedFact{At: blocked})
		for _, p := range plans {
			for _, b := range p.blockers {
				m.noFix(pass, b.pos, b.reason)
			}
			if len(p.blockers) == 0 {
				m.noFix(pass, p.specs[0].Pos(), fmt.Sprintf("not moved: %s in the same package cannot be moved, and a half-moved package mixes the types and errors of both versions", rel(pass, blocked)))
			}
		}
		return nil, nil
	}
	for _, p := range plans {
		m.apply(pass, p)
	}
	return nil, nil
}

// blockedFact marks a package (and so its external tests) as not movable.
type blockedFact struct {
	// At is the position of the first use that blocks the move.
	At string
}

// AFact marks blockedFact as an analysis fact.
func (*blockedFact) AFact() {}

func (f *blockedFact) String() string { return "move blocked at " + f.At }

// rel shortens a position under the package's directory for messages.
func rel(pass *analysis.Pass, pos string) string {
	if len(pass.Files) > 0 {
		dir := pass.Fset.Position(pass.Files[0].Package).Filename
		if i := strings.LastIndex(dir, "/"); i >= 0 {
			return strings.TrimPrefix(pos, dir[:i+1])
		}
	}
	return pos
}

func (m *mover) noFix(pass *analysis.Pass, pos token.Pos, reason string) {
	pass.Report(analysis.Diagnostic{
		Pos: pos, Category: Name,
		Message: "cannot move this file from " + m.tgt.OldPath + " mechanically",
		Related: []analysis.RelatedInformation{rewrite.NoFix(pos, reason)},
	})
}

func (m *mover) renames() map[string]deps.Rename {
	if m.tgt.Migration == nil {
		return nil
	}
	return m.tgt.Migration.Renames
}

func (m *mover) hazards() []deps.Hazard {
	if m.tgt.Migration == nil {
		return nil
	}
	return m.tgt.Migration.Hazards
}

// plan is what the move does to one file.
type plan struct {
	file     *ast.File
	specs    []*ast.ImportSpec
	uses     []use
	blockers []blocker
	review   []blocker
}

// plan returns the file's move, or nil when it does not import the old
// module.
func (m *mover) plan(pass *analysis.Pass, file *ast.File) *plan {
	var specs []*ast.ImportSpec
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if path == m.tgt.OldPath || strings.HasPrefix(path, m.tgt.OldPath+"/") {
			specs = append(specs, spec)
		}
	}
	if len(specs) == 0 {
		return nil
	}
	p := &plan{file: file, specs: specs}
	if suppress.IsGenerated(file) {
		p.blockers = append(p.blockers, blocker{specs[0].Pos(), "generated file: regenerate it against " + m.tgt.NewPath})
		return p
	}
	for _, spec := range specs {
		path, _ := strconv.Unquote(spec.Path.Value)
		if spec.Name != nil && (spec.Name.Name == "." || spec.Name.Name == "_") {
			p.blockers = append(p.blockers, blocker{spec.Pos(), fmt.Sprintf("import %s %s: dot and blank imports are not moved", spec.Name.Name, path)})
		}
		if m.tgt.NewPackage(path) == "" {
			p.blockers = append(p.blockers, blocker{spec.Pos(), fmt.Sprintf("package %s has no counterpart in %s", path, m.tgt.NewPath)})
		}
	}
	p.uses = collectUses(pass, file, m.tgt.OldPath)
	renames := m.renames()
	for _, u := range p.uses {
		if h, ok := m.hazardOf(u); ok && h.Manual {
			p.blockers = append(p.blockers, blocker{u.id.Pos(), fmt.Sprintf("%s (%s): %s; %s", u.key, h.Rule, h.Message, h.Replacement)})
			continue
		}
		if renames != nil && m.tgt.NewPackage(u.pkg) != "" && deps.IsStd(m.tgt.NewPath) {
			if why := m.checkRename(pass, u); why != "" {
				p.blockers = append(p.blockers, blocker{u.id.Pos(), why})
				continue
			}
		}
		if h, ok := m.hazardOf(u); ok && !(h.Unless == deps.UnlessNonNil && renames != nil) {
			p.review = append(p.review, blocker{u.id.Pos(), fmt.Sprintf("review after the move (%s): %s; %s", h.Rule, h.Message, h.Replacement)})
		}
	}
	for _, h := range m.hazards() {
		for _, a := range assertSites(pass, file, h) {
			p.review = append(p.review, blocker{a, fmt.Sprintf("review after the move (%s): %s; %s", h.Rule, h.Message, h.Replacement)})
		}
	}
	return p
}

// apply reports the file's move as one fix, and the hazards left to
// review.
func (m *mover) apply(pass *analysis.Pass, p *plan) {
	pos := p.specs[0].Pos()
	fix, err := rewrite.Fix(pass, pos, tier.Safe, "move "+m.tgt.OldPath+" to "+m.tgt.NewPath, func(f *rewrite.File) error {
		return m.edit(pass, f, p.specs, p.uses)
	})
	if err != nil {
		m.noFix(pass, pos, err.Error())
		return
	}
	pass.Report(analysis.Diagnostic{
		Pos: pos, Category: Name,
		Message:        fmt.Sprintf("imports %s: move to %s", m.tgt.OldPath, m.tgt.NewPath),
		SuggestedFixes: []analysis.SuggestedFix{fix},
	})
	for _, r := range p.review {
		pass.Report(analysis.Diagnostic{
			Pos: r.pos, Category: Name,
			Message: "the move changes what this code does",
			Related: []analysis.RelatedInformation{rewrite.NoFix(r.pos, r.reason)},
		})
	}
}

// hazardOf returns the table hazard naming the use (or its type).
func (m *mover) hazardOf(u use) (deps.Hazard, bool) {
	typ, _, _ := strings.Cut(u.key, ".")
	for _, h := range m.hazards() {
		if h.Package == u.pkg && (slices.Contains(h.Symbols, u.key) || slices.Contains(h.Symbols, typ)) {
			return h, true
		}
	}
	return deps.Hazard{}, false
}

// collectUses lists the file's references to packages of module.
func collectUses(pass *analysis.Pass, file *ast.File, module string) []use {
	var out []use
	var stack []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		obj := pass.TypesInfo.Uses[id]
		if obj == nil || obj.Pkg() == nil {
			return true
		}
		if _, isPkg := obj.(*types.PkgName); isPkg {
			return true
		}
		p := obj.Pkg().Path()
		if p != module && !strings.HasPrefix(p, module+"/") {
			return true
		}
		out = append(out, use{id: id, key: key(obj), pkg: p, stack: slices.Clone(stack)})
		return true
	})
	return out
}

// key names an object of the old package: "F", "T", "T.M".
func key(obj types.Object) string {
	if f, ok := obj.(*types.Func); ok {
		if r := kit.RecvName(f); r != "" {
			return r + "." + f.Name()
		}
	}
	return obj.Name()
}

// callOf returns the call pkg.F(...) whose function is the use, or nil.
func callOf(u use) *ast.CallExpr {
	if len(u.stack) < 3 {
		return nil
	}
	sel, ok := u.stack[len(u.stack)-2].(*ast.SelectorExpr)
	if !ok || sel.Sel != u.id {
		return nil
	}
	call, ok := u.stack[len(u.stack)-3].(*ast.CallExpr)
	if !ok || call.Fun != sel {
		return nil
	}
	return call
}

// checkRename says why a use of a std-target move cannot be rewritten,
// or "".
func (m *mover) checkRename(pass *analysis.Pass, u use) string {
	r, ok := m.renames()[u.key]
	if !ok {
		return fmt.Sprintf("%s has no counterpart in %s", u.key, m.tgt.NewPath)
	}
	call := callOf(u)
	if call == nil {
		return fmt.Sprintf("%s is used as a value, not called: rewrite it by hand", u.key)
	}
	switch r.Kind {
	case deps.RenameWrap, deps.RenameWrapf:
		if len(call.Args) < 2 {
			return fmt.Sprintf("%s with fewer than two arguments", u.key)
		}
		if call.Ellipsis.IsValid() {
			return fmt.Sprintf("%s(err, format, args...): the error cannot follow a spread argument list in fmt.Errorf; rewrite it by hand", u.key)
		}
		if deps.NonNilGuarded(pass.TypesInfo, u.stack[:len(u.stack)-2], call.Args[0]) {
			return ""
		}
		if _, _, ok := returnSite(u, call); !ok {
			return fmt.Sprintf("%s of an error that may be nil, outside a return statement: fmt.Errorf would turn a nil error into a non-nil one; guard it with if err != nil", u.key)
		}
	case deps.RenameIdentity:
		if len(call.Args) != 1 || !types.Identical(pass.TypesInfo.TypeOf(call.Args[0]), types.Universe.Lookup("error").Type()) {
			return fmt.Sprintf("%s of a value that is not of type error: returning it directly could turn a typed nil into a non-nil error", u.key)
		}
	}
	return ""
}

// returnSite reports whether call is the last result of a return
// statement whose other results are simple (identifiers, literals, nil):
// such a return can become `if err := E; err != nil { return ..., wrap }
// return ..., nil` with nothing evaluated in another order.
func returnSite(u use, call *ast.CallExpr) (*ast.ReturnStmt, int, bool) {
	i := len(u.stack) - 4
	if i < 1 {
		return nil, 0, false
	}
	ret, ok := u.stack[i].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 || ret.Results[len(ret.Results)-1] != call {
		return nil, 0, false
	}
	for _, r := range ret.Results[:len(ret.Results)-1] {
		switch r := ast.Unparen(r).(type) {
		case *ast.Ident, *ast.BasicLit:
		case *ast.CompositeLit:
			if len(r.Elts) > 0 {
				return nil, 0, false
			}
		default:
			return nil, 0, false
		}
	}
	switch u.stack[i-1].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return ret, i, true
	}
	return nil, 0, false
}

// assertSites lists the type assertions and type-switch cases of file on
// the hazard's Assert types.
func assertSites(pass *analysis.Pass, file *ast.File, h deps.Hazard) []token.Pos {
	if len(h.Assert) == 0 {
		return nil
	}
	var out []token.Pos
	check := func(e ast.Expr) {
		t := pass.TypesInfo.TypeOf(e)
		if t == nil {
			return
		}
		for _, a := range h.Assert {
			if deps.AssertType(a) != nil && types.Identical(t, deps.AssertType(a)) {
				out = append(out, e.Pos())
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeAssertExpr:
			if n.Type != nil {
				check(n.Type)
			}
		case *ast.TypeSwitchStmt:
			for _, s := range n.Body.List {
				for _, e := range s.(*ast.CaseClause).List {
					check(e)
				}
			}
		}
		return true
	})
	return out
}

// edit moves the file's imports and rewrites its calls on the dst tree.
func (m *mover) edit(pass *analysis.Pass, f *rewrite.File, specs []*ast.ImportSpec, uses []use) error {
	// The local name under which the code refers to each moved package.
	local := map[string]string{}
	for _, spec := range specs {
		path, _ := strconv.Unquote(spec.Path.Value)
		pn := pass.TypesInfo.PkgNameOf(spec)
		if pn == nil {
			return fmt.Errorf("import %s has no package name", path)
		}
		local[path] = pn.Name()
		newPath := m.tgt.NewPackage(path)
		d, ok := f.Node(spec).(*dst.ImportSpec)
		if !ok {
			return fmt.Errorf("import %s not found in the decorated file", path)
		}
		if deps.IsStd(newPath) && spec.Name == nil && pn.Name() == defaultName(newPath) {
			if err := rewrite.ReplaceImport(f, path, newPath); err == nil {
				continue
			}
		}
		d.Path.Value = strconv.Quote(newPath)
		if spec.Name == nil && pn.Name() != defaultName(newPath) {
			d.Name = dst.NewIdent(pn.Name())
		}
	}
	renames := m.renames()
	if renames == nil || !deps.IsStd(m.tgt.NewPath) {
		return nil
	}
	fmtName := ""
	fmtPkg := func() string {
		if fmtName == "" {
			fmtName = rewrite.AddImport(f, "fmt")
		}
		return fmtName
	}
	// Statements are replaced after the walk: index the uses by their
	// return statement first so that several wraps in one function work.
	for _, u := range uses {
		r := renames[u.key]
		call := callOf(u)
		dcall, dsel, err := f.SelectorCall(call)
		if err != nil {
			return err
		}
		qual := local[u.pkg]
		switch r.Kind {
		case deps.RenameCall:
			pkg, name, _ := strings.Cut(r.To, ".")
			if pkg == "fmt" {
				pkg = fmtPkg()
			} else {
				pkg = qual
			}
			dsel.X = dst.NewIdent(pkg)
			dsel.Sel = dst.NewIdent(name)
		case deps.RenameIdentity:
			if err := replaceExpr(f, u, call, dst.Clone(dcall.Args[0]).(dst.Expr)); err != nil {
				return err
			}
		case deps.RenameWrap, deps.RenameWrapf:
			guarded := deps.NonNilGuarded(pass.TypesInfo, u.stack[:len(u.stack)-2], call.Args[0])
			errName := ""
			var errExpr dst.Expr
			if guarded {
				errExpr = dst.Clone(dcall.Args[0]).(dst.Expr)
			} else {
				errName = freshErr(pass, u, call)
				errExpr = dst.NewIdent(errName)
			}
			wrapped, err := errorfCall(fmtPkg(), r.Kind, dcall, errExpr)
			if err != nil {
				return err
			}
			if guarded {
				if err := replaceExpr(f, u, call, wrapped); err != nil {
					return err
				}
				continue
			}
			if err := guardReturn(f, u, call, dcall, errName, wrapped); err != nil {
				return err
			}
		}
	}
	// Every call may have gone to fmt.
	for _, spec := range specs {
		path, _ := strconv.Unquote(spec.Path.Value)
		rewrite.RemoveImportIfUnused(f, m.tgt.NewPackage(path))
	}
	return nil
}

// errorfCall builds fmt.Errorf("msg: %w", ..., err) from Wrap(err, msg)
// or Wrapf(err, format, args...).
func errorfCall(fmtPkg, kind string, call *dst.CallExpr, errExpr dst.Expr) (dst.Expr, error) {
	msg := call.Args[1]
	var args []dst.Expr
	var format string
	if lit, ok := msg.(*dst.BasicLit); ok && lit.Kind == token.STRING {
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return nil, err
		}
		if kind == deps.RenameWrap {
			s = strings.ReplaceAll(s, "%", "%%")
		}
		format = s + ": %w"
		if kind == deps.RenameWrapf {
			for _, a := range call.Args[2:] {
				args = append(args, dst.Clone(a).(dst.Expr))
			}
		}
	} else if kind == deps.RenameWrap {
		format = "%s: %w"
		args = append(args, dst.Clone(msg).(dst.Expr))
	} else {
		format = "%s: %w"
		sprintf := &dst.CallExpr{Fun: rewrite.Sel(fmtPkg, "Sprintf")}
		for _, a := range call.Args[1:] {
			sprintf.Args = append(sprintf.Args, dst.Clone(a).(dst.Expr))
		}
		args = append(args, sprintf)
	}
	out := &dst.CallExpr{Fun: rewrite.Sel(fmtPkg, "Errorf")}
	out.Args = append(out.Args, &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(format)})
	out.Args = append(out.Args, args...)
	out.Args = append(out.Args, errExpr)
	return out, nil
}

// replaceExpr puts e in place of the call in its parent.
func replaceExpr(f *rewrite.File, u use, call *ast.CallExpr, e dst.Expr) error {
	old := f.Expr(call)
	var parent dst.Node
	if len(u.stack) >= 4 {
		parent = f.Node(u.stack[len(u.stack)-4])
	}
	if parent == nil {
		return fmt.Errorf("the parent of the call is not in the decorated file")
	}
	e.Decorations().Start = old.Decorations().Start
	e.Decorations().End = old.Decorations().End
	replaced := false
	dst.Inspect(parent, func(n dst.Node) bool {
		if replaced || n == nil {
			return false
		}
		replaced = replaceChild(n, old, e)
		return !replaced
	})
	if !replaced {
		return fmt.Errorf("the call could not be replaced in its parent")
	}
	return nil
}

// replaceChild swaps old for e among the direct expression children of n.
func replaceChild(n dst.Node, old, e dst.Expr) bool {
	swap := func(list []dst.Expr) bool {
		for i, x := range list {
			if x == old {
				list[i] = e
				return true
			}
		}
		return false
	}
	switch n := n.(type) {
	case *dst.ReturnStmt:
		return swap(n.Results)
	case *dst.AssignStmt:
		return swap(n.Rhs)
	case *dst.CallExpr:
		return swap(n.Args)
	case *dst.ValueSpec:
		return swap(n.Values)
	case *dst.CompositeLit:
		return swap(n.Elts)
	case *dst.KeyValueExpr:
		if n.Value == old {
			n.Value = e
			return true
		}
	case *dst.ParenExpr:
		if n.X == old {
			n.X = e
			return true
		}
	case *dst.ExprStmt:
		if n.X == old {
			n.X = e
			return true
		}
	case *dst.SendStmt:
		if n.Value == old {
			n.Value = e
			return true
		}
	case *dst.BinaryExpr:
		if n.X == old {
			n.X = e
			return true
		}
		if n.Y == old {
			n.Y = e
			return true
		}
	}
	return false
}

// freshErr picks the variable name for an unguarded wrap's error: "err"
// when the wrapped expression is the variable err itself, else a name the
// enclosing function does not use.
func freshErr(pass *analysis.Pass, u use, call *ast.CallExpr) string {
	if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
		if _, isVar := pass.TypesInfo.Uses[id].(*types.Var); isVar {
			return id.Name
		}
	}
	var scope ast.Node = u.stack[0]
	for i := len(u.stack) - 1; i >= 0; i-- {
		if fd, ok := u.stack[i].(*ast.FuncDecl); ok {
			scope = fd
			break
		}
		if fl, ok := u.stack[i].(*ast.FuncLit); ok {
			scope = fl
			break
		}
	}
	return rewrite.FreshName(scope, "err", "wrapErr", "cerr")
}

// guardReturn turns `return a, Wrap(E, msg)` into
//
//	if err := E; err != nil {
//		return a, fmt.Errorf("msg: %w", err)
//	}
//	return a, nil
//
// (no init when E is the variable itself), keeping Wrap's nil result.
func guardReturn(f *rewrite.File, u use, call *ast.CallExpr, dcall *dst.CallExpr, errName string, wrapped dst.Expr) error {
	ret, i, ok := returnSite(u, call)
	if !ok {
		return fmt.Errorf("internal: wrap is not at a return site")
	}
	list := f.StmtList(u.stack[i-1])
	dret, ok := f.Stmt(ret).(*dst.ReturnStmt)
	if list == nil || !ok {
		return fmt.Errorf("the return statement is not in the decorated file")
	}
	idx := slices.Index(*list, dst.Stmt(dret))
	if idx < 0 {
		return fmt.Errorf("the return statement is not in its block")
	}
	var others []dst.Expr
	for _, r := range dret.Results[:len(dret.Results)-1] {
		others = append(others, r)
	}
	inner := &dst.ReturnStmt{}
	for _, o := range others {
		inner.Results = append(inner.Results, dst.Clone(o).(dst.Expr))
	}
	inner.Results = append(inner.Results, wrapped)
	ifs := &dst.IfStmt{
		Cond: &dst.BinaryExpr{X: dst.NewIdent(errName), Op: token.NEQ, Y: dst.NewIdent("nil")},
		Body: &dst.BlockStmt{List: []dst.Stmt{inner}},
	}
	arg := dcall.Args[0]
	if id, isIdent := arg.(*dst.Ident); !isIdent || id.Name != errName {
		ifs.Init = &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(errName)}, Tok: token.DEFINE, Rhs: []dst.Expr{dst.Clone(arg).(dst.Expr)}}
	}
	ifs.Decs.Before = dret.Decs.Before
	ifs.Decs.Start = dret.Decs.Start
	dret.Decs.Start = nil
	dret.Decs.Before = dst.NewLine
	dret.Results[len(dret.Results)-1] = dst.NewIdent("nil")
	*list = slices.Insert(*list, idx, dst.Stmt(ifs))
	return nil
}

// defaultName is the name a package path is imported under by default:
// its last element without a major-version suffix.
func defaultName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 && strings.Trim(name[i+2:], "0123456789") == "" {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	name = strings.TrimPrefix(name, "go.")
	return name
}
