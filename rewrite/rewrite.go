// Package rewrite computes upshift's automatic fixes on dave/dst, the
// lossless Go syntax tree: comments and blank lines stay where they were.
//
// A rewrite decorates only the file it changes, edits the dst tree, prints
// it, and diffs the result against the original source. The edits come back
// as an analysis.SuggestedFix, so one implementation serves `upshift fix`,
// `go vet -vettool=upshift -fix`, gopls and any other analysis driver.
package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"go/version"
	"strconv"
	"strings"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/aymanbagabas/go-udiff"
	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/analysis"
)

// File is one file of a pass, decorated for editing.
type File struct {
	Pass *analysis.Pass
	// AST is the pass's syntax tree, with type information in
	// Pass.TypesInfo. It must not be modified.
	AST *ast.File
	// DST is the decorated copy that the rewrite edits.
	DST *dst.File
	// nodes maps the pass's syntax to DST's nodes.
	nodes map[ast.Node]dst.Node
}

// Node returns the dst node that corresponds to an ast node of the file,
// or nil.
func (f *File) Node(n ast.Node) dst.Node {
	return f.nodes[n]
}

// Expr returns the dst expression for an ast expression of the file, or nil.
func (f *File) Expr(e ast.Expr) dst.Expr {
	if d, ok := f.nodes[e].(dst.Expr); ok {
		return d
	}
	return nil
}

// SelectorCall returns the dst form of a call made through a selector,
// pkg.F(...) or x.M(...), with its selector.
func (f *File) SelectorCall(call *ast.CallExpr) (*dst.CallExpr, *dst.SelectorExpr, error) {
	d, ok := f.Expr(call).(*dst.CallExpr)
	if !ok {
		return nil, nil, fmt.Errorf("call not found in the decorated file")
	}
	s, ok := d.Fun.(*dst.SelectorExpr)
	if !ok {
		return nil, nil, fmt.Errorf("the call is not made through a selector")
	}
	return d, s, nil
}

// StmtList returns the statement list of a block, case clause or select
// clause of the file, for inserting statements; nil for other nodes.
func (f *File) StmtList(block ast.Node) *[]dst.Stmt {
	switch d := f.Node(block).(type) {
	case *dst.BlockStmt:
		return &d.List
	case *dst.CaseClause:
		return &d.Body
	case *dst.CommClause:
		return &d.Body
	}
	return nil
}

// Sel builds the selector pkg.name.
func Sel(pkg, name string) *dst.SelectorExpr {
	return &dst.SelectorExpr{X: dst.NewIdent(pkg), Sel: dst.NewIdent(name)}
}

// Stmt returns the dst statement for an ast statement of the file, or nil.
func (f *File) Stmt(s ast.Stmt) dst.Stmt {
	if d, ok := f.nodes[s].(dst.Stmt); ok {
		return d
	}
	return nil
}

// GoVersion is the file's Go version ("go1.21"), from its go line refined
// by any //go:build constraint; "" when unknown.
func (f *File) GoVersion() string {
	return FileVersion(f.Pass, f.AST)
}

// AtLeast reports whether the file's Go version is known to be v or later.
func (f *File) AtLeast(v string) bool {
	return FileAtLeast(f.Pass, f.AST, v)
}

// FileAtLeast reports whether the Go version of an ast file of the pass is
// known to be v or later.
func FileAtLeast(pass *analysis.Pass, file *ast.File, v string) bool {
	fv := FileVersion(pass, file)
	return fv != "" && version.Compare(fv, v) >= 0
}

// FileVersion returns the Go version of an ast file of the pass.
func FileVersion(pass *analysis.Pass, file *ast.File) string {
	if pass.TypesInfo != nil {
		if v := pass.TypesInfo.FileVersions[file]; v != "" {
			return version.Lang(v)
		}
	}
	if pass.Pkg != nil {
		return version.Lang(pass.Pkg.GoVersion())
	}
	return ""
}

// Fix builds a SuggestedFix for the file of the pass containing pos: edit
// changes the decorated file, and the fix's TextEdits turn the original
// source into the printed, gofmt-formatted result. The message starts with
// the tier, "[safe] ..." or "[behavior] ...", so drivers can select fixes
// by tier.
func Fix(pass *analysis.Pass, pos token.Pos, tier tier.Tier, message string, edit func(*File) error) (analysis.SuggestedFix, error) {
	if !allowed(pass, tier) {
		return analysis.SuggestedFix{}, fmt.Errorf("%s tier: the fix changes output; UPSHIFT_FIX_TIER=%s go fix -fixtool=... applies it (upshift fix: -tier=%s)", tier, tier, tier)
	}
	astFile := fileOf(pass, pos)
	if astFile == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("no file of package %s contains the position", pass.Pkg.Path())
	}
	tokFile := pass.Fset.File(astFile.FileStart)
	d, err := decorate(pass, astFile)
	if err != nil {
		return analysis.SuggestedFix{}, err
	}
	src := d.src
	f := d.copy(pass, astFile)
	if err := edit(f); err != nil {
		return analysis.SuggestedFix{}, err
	}
	var buf bytes.Buffer
	if err := decorator.NewRestorer().Fprint(&buf, f.DST); err != nil {
		return analysis.SuggestedFix{}, fmt.Errorf("printing %s: %w", tokFile.Name(), err)
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return analysis.SuggestedFix{}, fmt.Errorf("rewrite of %s does not parse: %w", tokFile.Name(), err)
	}
	edits := udiff.Bytes(src, out)
	if len(edits) == 0 {
		return analysis.SuggestedFix{}, fmt.Errorf("rewrite of %s changes nothing", tokFile.Name())
	}
	fix := analysis.SuggestedFix{Message: "[" + string(tier) + "] " + message}
	for _, e := range edits {
		fix.TextEdits = append(fix.TextEdits, analysis.TextEdit{
			Pos:     tokFile.Pos(e.Start),
			End:     tokFile.Pos(e.End),
			NewText: []byte(e.New),
		})
	}
	return fix, nil
}

// TierOf returns the tier recorded in a SuggestedFix message by Fix, and
// TierSafe for fixes of other origins.
func TierOf(fix analysis.SuggestedFix) tier.Tier {
	if strings.HasPrefix(fix.Message, "["+string(tier.Behavior)+"]") {
		return tier.Behavior
	}
	return tier.Safe
}

// FileOf returns the file of the pass that contains n, or nil.
func FileOf(pass *analysis.Pass, n ast.Node) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= n.Pos() && n.End() <= f.FileEnd {
			return f
		}
	}
	return nil
}

func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// AddImport makes sure the file imports path and returns the name to use
// for it. A new import joins the file's first import declaration; the
// grouping of existing imports is left alone. When the package's default
// name is taken in the file's scope by something else, the import gets a
// distinct alias.
func AddImport(f *File, path string) string {
	return addImport(f, path, "")
}

// addImport is AddImport where the name freed is free even if the
// original file's scope still holds it (an import being replaced).
func addImport(f *File, path, freed string) string {
	for _, imp := range f.DST.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			if imp.Name != nil && imp.Name.Name != "_" && imp.Name.Name != "." {
				return imp.Name.Name
			}
			if imp.Name == nil {
				return defaultName(path)
			}
		}
	}
	name := defaultName(path)
	alias := ""
	for name != freed && taken(f, name) {
		alias = name + "_"
		name = alias
	}
	spec := &dst.ImportSpec{Path: &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(path)}}
	if alias != "" {
		spec.Name = dst.NewIdent(alias)
	}
	f.DST.Imports = append(f.DST.Imports, spec)
	for _, d := range f.DST.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		gd.Lparen, gd.Rparen = true, true
		gd.Specs = insertSorted(gd.Specs, spec)
		return name
	}
	decl := &dst.GenDecl{Tok: token.IMPORT, Specs: []dst.Spec{spec}}
	f.DST.Decls = append([]dst.Decl{decl}, f.DST.Decls...)
	return name
}

// insertSorted places spec before the first spec of the same group that
// sorts after it, so gofmt's per-group order is kept; the new import goes
// into the standard-library group when path has no dot in its first
// element, else into the last group.
func insertSorted(specs []dst.Spec, spec *dst.ImportSpec) []dst.Spec {
	normalizeGroups(specs)
	path, _ := strconv.Unquote(spec.Path.Value)
	std := !strings.Contains(strings.SplitN(path, "/", 2)[0], ".")
	// Find the group boundaries: a spec that starts after an empty line
	// begins a new group.
	start := 0
	groupStart := []int{0}
	for i := 1; i < len(specs); i++ {
		if specs[i].Decorations().Before == dst.EmptyLine {
			groupStart = append(groupStart, i)
		}
	}
	end := len(specs)
	if std {
		start = groupStart[0]
		if len(groupStart) > 1 {
			end = groupStart[1]
		}
		if start < end && !isStd(specs[start]) {
			// No standard-library group yet: open one at the top.
			spec.Decs.After = dst.EmptyLine
			return append([]dst.Spec{spec}, specs...)
		}
	} else {
		start = groupStart[len(groupStart)-1]
		if start < end && isStd(specs[start]) && len(groupStart) == 1 {
			spec.Decs.Before = dst.EmptyLine
			return append(specs, spec)
		}
	}
	at := end
	for i := start; i < end; i++ {
		p, _ := strconv.Unquote(specs[i].(*dst.ImportSpec).Path.Value)
		if p > path {
			at = i
			break
		}
	}
	if at == start && start < len(specs) {
		// Taking the first place of a group: inherit the group's leading
		// blank line.
		spec.Decs.Before = specs[start].Decorations().Before
		specs[start].Decorations().Before = dst.NewLine
	} else {
		spec.Decs.Before = dst.NewLine
	}
	out := append([]dst.Spec{}, specs[:at]...)
	out = append(out, spec)
	return append(out, specs[at:]...)
}

// normalizeGroups records every blank line between imports as the Before
// decoration of the spec that follows it, so group boundaries are found in
// one place whichever side the decorator attached them to.
func normalizeGroups(specs []dst.Spec) {
	for i, s := range specs {
		d := s.Decorations()
		if d.After == dst.EmptyLine {
			d.After = dst.NewLine
			if i+1 < len(specs) {
				specs[i+1].Decorations().Before = dst.EmptyLine
			}
		}
	}
}

func isStd(s dst.Spec) bool {
	p, _ := strconv.Unquote(s.(*dst.ImportSpec).Path.Value)
	return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".")
}

// RemoveImportIfUnused drops the import of path when nothing in the file
// refers to it any more, and reports whether it did.
func RemoveImportIfUnused(f *File, path string) bool {
	var spec *dst.ImportSpec
	for _, imp := range f.DST.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			spec = imp
		}
	}
	if spec == nil || (spec.Name != nil && (spec.Name.Name == "_" || spec.Name.Name == ".")) {
		return false
	}
	name := defaultName(path)
	if spec.Name != nil {
		name = spec.Name.Name
	}
	used := false
	dst.Inspect(f.DST, func(n dst.Node) bool {
		if sel, ok := n.(*dst.SelectorExpr); ok {
			if id, ok := sel.X.(*dst.Ident); ok && id.Name == name && id.Path == "" {
				used = true
			}
		}
		return !used
	})
	if used {
		return false
	}
	removeSpec(f, spec)
	return true
}

// ReplaceImport makes the file import to instead of from, for packages
// whose functions the file calls under the same name (x/exp/slices to
// slices). The import moves to the group where AddImport puts new imports.
// It fails when from is not imported, is imported under another name than
// to's default, or when that name is taken.
func ReplaceImport(f *File, from, to string) error {
	var spec *dst.ImportSpec
	for _, imp := range f.DST.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == from {
			spec = imp
		}
	}
	if spec == nil {
		return fmt.Errorf("the file does not import %s", from)
	}
	name := defaultName(to)
	if spec.Name != nil && spec.Name.Name != name || spec.Name == nil && defaultName(from) != name {
		return fmt.Errorf("%s is imported under another name than %s", from, name)
	}
	for _, imp := range f.DST.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == to {
			return fmt.Errorf("the file already imports %s", to)
		}
	}
	removeSpec(f, spec)
	if got := addImport(f, to, name); got != name {
		return fmt.Errorf("%s would be imported as %s", to, got)
	}
	// The import's comments stay with it.
	for _, imp := range f.DST.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == to {
			imp.Decs.Start = append(imp.Decs.Start, spec.Decs.Start...)
			imp.Decs.End = append(imp.Decs.End, spec.Decs.End...)
		}
	}
	return nil
}

// removeSpec deletes an import spec from the file, keeping the blank line
// between groups.
func removeSpec(f *File, spec *dst.ImportSpec) {
	for i, imp := range f.DST.Imports {
		if imp == spec {
			f.DST.Imports = append(f.DST.Imports[:i], f.DST.Imports[i+1:]...)
			break
		}
	}
	for di, d := range f.DST.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		normalizeGroups(gd.Specs)
		for i, s := range gd.Specs {
			if s != spec {
				continue
			}
			if i+1 < len(gd.Specs) && spec.Decs.Before == dst.EmptyLine {
				gd.Specs[i+1].Decorations().Before = dst.EmptyLine
			}
			gd.Specs = append(gd.Specs[:i], gd.Specs[i+1:]...)
			if len(gd.Specs) == 0 {
				f.DST.Decls = append(f.DST.Decls[:di], f.DST.Decls[di+1:]...)
			}
			return
		}
	}
}

// taken reports whether name is declared in the file's package or file
// scope by something other than an import of that name.
func taken(f *File, name string) bool {
	if f.Pass.Pkg.Scope().Lookup(name) != nil {
		return true
	}
	if scope := f.Pass.TypesInfo.Scopes[f.AST]; scope != nil {
		if obj := scope.Lookup(name); obj != nil {
			return true
		}
	}
	return false
}

// defaultName guesses the package name of an import path the way goimports
// does for paths it has not loaded: the last element, without a major
// version suffix or a "go-" prefix.
func defaultName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && strings.HasPrefix(name, "v") {
		if _, err := strconv.Atoi(name[1:]); err == nil {
			name = elems[len(elems)-2]
		}
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.IndexAny(name, ".-"); i >= 0 {
		name = name[:i]
	}
	return name
}

// TypeExpr spells the type t as code in file can write it: named types of
// the pass's package unqualified, those of other packages through the
// file's import names. It fails when the file does not import a package
// the type needs.
func TypeExpr(pass *analysis.Pass, file *ast.File, t types.Type) (dst.Expr, error) {
	s, err := TypeString(pass, file, t)
	if err != nil {
		return nil, err
	}
	d, err := ParseExpr(s)
	if err != nil {
		return nil, fmt.Errorf("the type %s cannot be written in this file: %v", s, err)
	}
	return d, nil
}

// ParseExpr turns the Go source of an expression into a dst expression,
// for code a rewrite composes as text.
func ParseExpr(src string) (dst.Expr, error) {
	fset := token.NewFileSet()
	e, err := parser.ParseExprFrom(fset, "", src, 0)
	if err != nil {
		return nil, err
	}
	d, err := decorator.NewDecorator(fset).DecorateNode(e)
	if err != nil {
		return nil, err
	}
	return d.(dst.Expr), nil
}

// FreshName returns the first candidate that no identifier in scope (a
// function, usually) uses, so declaring it there cannot shadow anything
// the code refers to; the last candidate with a number appended when all
// are taken.
func FreshName(scope ast.Node, candidates ...string) string {
	used := make(map[string]bool)
	ast.Inspect(scope, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	for _, c := range candidates {
		if !used[c] {
			return c
		}
	}
	last := candidates[len(candidates)-1]
	for i := 2; ; i++ {
		if c := last + strconv.Itoa(i); !used[c] {
			return c
		}
	}
}

// TypeString is TypeExpr as source text.
func TypeString(pass *analysis.Pass, file *ast.File, t types.Type) (string, error) {
	var missing string
	qual := func(p *types.Package) string {
		if p == pass.Pkg {
			return ""
		}
		for _, imp := range file.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == p.Path() {
				if imp.Name != nil {
					return imp.Name.Name
				}
				return p.Name()
			}
		}
		missing = p.Path()
		return p.Name()
	}
	s := types.TypeString(t, qual)
	if missing != "" {
		return "", fmt.Errorf("the type %s is from %s, which the file does not import", s, missing)
	}
	return s, nil
}

// CanName checks that a rewrite can name the package path at pos in
// file: a local declaration of its name would hide the import that
// AddImport adds (package-level names make AddImport pick an alias).
func CanName(pass *analysis.Pass, file *ast.File, pos token.Pos, path string) error {
	name := path
	if i := strings.LastIndex(path, "/"); i >= 0 {
		name = path[i+1:]
	}
	// The name the file imports the package under, if it does.
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path && imp.Name != nil {
			name = imp.Name.Name
		}
	}
	obj := Lookup(pass, file, pos, name)
	if obj == nil {
		return nil
	}
	if _, ok := obj.(*types.PkgName); ok {
		return nil // the import itself, or another package: AddImport picks an alias
	}
	if obj.Parent() == pass.Pkg.Scope() || obj.Parent() == types.Universe {
		return nil // AddImport picks an alias when a package-level name is taken
	}
	return fmt.Errorf("the local %s %s hides the %s package the rewrite needs", kindOf(obj), name, path)
}

// Lookup resolves name at pos in file, as the type checker would.
func Lookup(pass *analysis.Pass, file *ast.File, pos token.Pos, name string) types.Object {
	scope := pass.TypesInfo.Scopes[file]
	if scope == nil {
		return nil
	}
	inner := scope.Innermost(pos)
	if inner == nil {
		inner = scope
	}
	_, obj := inner.LookupParent(name, pos)
	return obj
}

func kindOf(obj types.Object) string {
	switch obj.(type) {
	case *types.Var:
		return "variable"
	case *types.Func:
		return "function"
	case *types.TypeName:
		return "type"
	case *types.Const:
		return "constant"
	}
	return "name"
}

// NoFixPrefix starts the message of a related-information entry that an
// analyzer attaches to a finding it cannot fix automatically (for example
// because the file's Go version is too old for the rewrite). `upshift fix`
// reports the finding as skipped with that message.
const NoFixPrefix = "no automatic fix: "

// NoFix returns the related-information entry that explains why a finding
// has no automatic fix.
func NoFix(pos token.Pos, reason string) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: NoFixPrefix + reason}
}
