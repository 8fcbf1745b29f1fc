package api

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"
)

// Module is one side of a comparison: a Go module's go.mod and its
// type-checked packages.
type Module struct {
	// Label names the side in messages, e.g. `base "v1.2.0"`.
	Label string
	// Root is the module's directory.
	Root string
	// Path is the module path from go.mod.
	Path string
	// GoMod is the parsed go.mod.
	GoMod *modfile.File
	// Fset holds the positions of all packages.
	Fset *token.FileSet
	// Packages are the module's packages, sorted by import path, test
	// variants excluded.
	Packages []*packages.Package
}

// LoadMode is what Load asks go/packages for: syntax and full type
// information, so that positions and call sites are available.
const LoadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule | packages.NeedImports

// Load reads the go.mod in root and type-checks every package of the
// module (`./...`). label names the side in errors. A package that does not
// build is an error naming the file and the side.
func Load(ctx context.Context, root, label string) (*Module, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	gomodPath := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(gomodPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no go.mod (not a Go module)", label)
		}
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if mf.Module == nil {
		return nil, fmt.Errorf("%s: go.mod has no module line", label)
	}
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Context: ctx,
		Mode:    LoadMode,
		Dir:     root,
		Fset:    fset,
		// A go.work above a temp dir must not change what is loaded.
		Env: append(os.Environ(), "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("%s: loading packages: %w", label, err)
	}
	m := &Module{Label: label, Root: root, Path: mf.Module.Mod.Path, GoMod: mf, Fset: fset}
	var problems []string
	for _, p := range pkgs {
		for _, e := range p.Errors {
			// go list errors repeat compiler output under a "# pkg"
			// header; keep one line per problem.
			for _, line := range strings.Split(m.relError(e), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "# ") {
					problems = append(problems, line)
				}
			}
		}
		if p.Types != nil && len(p.Errors) == 0 {
			m.Packages = append(m.Packages, p)
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		problems = slices.Compact(problems)
		const maxShown = 10
		if len(problems) > maxShown {
			problems = append(problems[:maxShown], fmt.Sprintf("... and %d more", len(problems)-maxShown))
		}
		return nil, fmt.Errorf("%s does not build:\n\t%s", label, strings.Join(problems, "\n\t"))
	}
	slices.SortFunc(m.Packages, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	return m, nil
}

// relError formats a package error with its file relative to the module
// root: temp directories of materialised revisions mean nothing to users.
func (m *Module) relError(e packages.Error) string {
	msg := e.Msg
	pos := e.Pos
	if pos == "" || pos == "-" {
		return m.Rel(msg)
	}
	return m.Rel(pos) + ": " + m.Rel(msg)
}

// Rel rewrites absolute paths under the module root inside s to paths
// relative to the root.
func (m *Module) Rel(s string) string {
	for _, root := range []string{m.Root, evalSymlinks(m.Root)} {
		s = strings.ReplaceAll(s, root+string(filepath.Separator), "")
	}
	return s
}

func evalSymlinks(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// Position returns the position of pos relative to the module root.
func (m *Module) Position(pos token.Pos) (file string, line, col int) {
	if !pos.IsValid() {
		return "", 0, 0
	}
	p := m.Fset.Position(pos)
	file = p.Filename
	for _, root := range []string{m.Root, evalSymlinks(m.Root)} {
		if rel, err := filepath.Rel(root, p.Filename); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
			break
		}
	}
	return filepath.ToSlash(file), p.Line, p.Column
}

// RelPath is the package path relative to the module path ("" for the
// module's root package, "/sub" for a subpackage), the key that pairs
// packages across sides even when the module path changes (v2).
func (m *Module) RelPath(pkgPath string) string {
	if pkgPath == m.Path {
		return ""
	}
	if rest, ok := strings.CutPrefix(pkgPath, m.Path+"/"); ok {
		return "/" + rest
	}
	return pkgPath
}

// Package returns the package with module-relative path rel, or nil.
func (m *Module) Package(rel string) *packages.Package {
	for _, p := range m.Packages {
		if m.RelPath(p.PkgPath) == rel {
			return p
		}
	}
	return nil
}

// isPublic reports whether importers outside the module can use the
// package: main packages and internal packages are not part of the API.
func (m *Module) isPublic(p *packages.Package) bool {
	if p.Name == "main" {
		return false
	}
	for _, elem := range strings.Split(p.PkgPath, "/") {
		if elem == "internal" {
			return false
		}
	}
	return true
}
