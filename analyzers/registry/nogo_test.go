package registry

import (
	"encoding/json"
	"go/ast"
	"go/constant"
	"go/types"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// modulePath is the import path prefix of upshift's packages.
const modulePath = "github.com/upshift-dev/upshift"

// TestNogoPackages checks what Bazel's nogo needs of every registered
// analyzer: a package analyzers/NAME (the label the README gives) whose
// package-level `var Analyzer` is an *analysis.Analyzer named NAME, since
// nogo imports the package, takes its Analyzer and keys its config by the
// analyzer's name.
func TestNogoPackages(t *testing.T) {
	var paths []string
	for _, c := range checks {
		paths = append(paths, modulePath+"/analyzers/"+c.Name)
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo, Dir: "../.."}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		if len(pkg.Errors) > 0 {
			t.Errorf("%s: %v (nogo's label is analyzers/NAME: the folder must be the analyzer's name)", pkg.PkgPath, pkg.Errors)
			continue
		}
		name := strings.TrimPrefix(pkg.PkgPath, modulePath+"/analyzers/")
		v, ok := pkg.Types.Scope().Lookup("Analyzer").(*types.Var)
		if !ok {
			t.Errorf("%s: no package-level var Analyzer", pkg.PkgPath)
			continue
		}
		if got := types.TypeString(v.Type(), nil); got != "*golang.org/x/tools/go/analysis.Analyzer" {
			t.Errorf("%s: var Analyzer has type %s, want *analysis.Analyzer", pkg.PkgPath, got)
		}
		if got, ok := analyzerName(pkg, v); !ok {
			t.Errorf("%s: cannot read the name var Analyzer is given (want a constant first argument or Name field)", pkg.PkgPath)
		} else if got != name {
			t.Errorf("%s: var Analyzer is named %q; nogo's config keys it by name, the README by folder %q", pkg.PkgPath, got, name)
		}
	}
}

// analyzerName finds the name var Analyzer is initialized with: the first
// argument of a constructor call (kit.NewAnalyzer("NAME", ...)) or the Name
// field of an &analysis.Analyzer{...} literal, when it is a constant.
func analyzerName(pkg *packages.Package, v *types.Var) (string, bool) {
	for _, f := range pkg.Syntax {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gen.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, id := range vs.Names {
					if pkg.TypesInfo.Defs[id] != v || i >= len(vs.Values) {
						continue
					}
					var name ast.Expr
					switch init := ast.Unparen(vs.Values[i]).(type) {
					case *ast.CallExpr:
						if len(init.Args) > 0 {
							name = init.Args[0]
						}
					case *ast.UnaryExpr:
						if lit, ok := init.X.(*ast.CompositeLit); ok {
							for _, elt := range lit.Elts {
								if kv, ok := elt.(*ast.KeyValueExpr); ok {
									if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Name" {
										name = kv.Value
									}
								}
							}
						}
					}
					if name == nil {
						return "", false
					}
					tv := pkg.TypesInfo.Types[name]
					if tv.Value == nil || tv.Value.Kind() != constant.String {
						return "", false
					}
					return constant.StringVal(tv.Value), true
				}
			}
		}
	}
	return "", false
}

// TestReadmeNogo checks README.md's nogo section against the registry: the
// nogo target's deps name only registered analyzers' packages, and the
// config (the JSON block after it) names only registered analyzers, only
// the keys rules_go reads, and only flags the analyzer has. (A registered
// analyzer missing from the deps is allowed: adding an analyzer is one
// folder and one registry line, TestAddingAnAnalyzer.)
func TestReadmeNogo(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "### In Bazel (rules_go nogo)")
	if start < 0 {
		t.Fatalf("%s has no \"### In Bazel (rules_go nogo)\" section", path)
	}
	section := text[start:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	if end := strings.Index(section[4:], "\n### "); end >= 0 {
		section = section[:end+4]
	}
	blocks := regexp.MustCompile("(?s)```(\\w+)\n(.*?)```").FindAllStringSubmatch(section, -1)

	var target, config string
	for _, b := range blocks {
		switch {
		case b[1] == "starlark" && regexp.MustCompile(`(?m)^nogo\(`).MatchString(b[2]):
			target = b[2]
		case b[1] == "json":
			config = b[2]
		}
	}
	if target == "" || config == "" {
		t.Fatalf("%s: the nogo section needs a ```starlark block with nogo(...) and a ```json config block", path)
	}

	var registered []string
	for _, c := range checks {
		registered = append(registered, c.Name)
	}
	deps := regexp.MustCompile(`"@com_github_upshift_dev_upshift//analyzers/([^"]+)"`).FindAllStringSubmatch(target, -1)
	if len(deps) == 0 {
		t.Errorf("%s: the nogo target has no upshift analyzer in its deps", path)
	}
	for _, m := range deps {
		if !slices.Contains(registered, m[1]) {
			t.Errorf("%s: the nogo target's deps name analyzers/%s; the registry has %v", path, m[1], registered)
		}
	}

	var cfg map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		t.Fatalf("%s: the nogo config block is not the JSON nogo reads ({analyzer: {key: value}}): %v", path, err)
	}
	for name, entry := range cfg {
		// The analyzers the entry applies to: _base underlies them all.
		applies := Analyzers()
		if name != "_base" {
			c, ok := Lookup(name)
			if !ok || c.Name != name {
				t.Errorf("%s: nogo config names %q, which is no analyzer (nogo keys by analyzer name)", path, name)
				continue
			}
			applies = []*analysis.Analyzer{c.Analyzer}
		}
		for key, raw := range entry {
			if key == "description" {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					t.Errorf("%s: nogo config: %s.description: %v", path, name, err)
				}
				continue
			}
			var values map[string]string
			if err := json.Unmarshal(raw, &values); err != nil {
				t.Errorf("%s: nogo config: %s.%s: %v", path, name, key, err)
				continue
			}
			switch key {
			case "only_files", "exclude_files":
				for re := range values {
					if _, err := regexp.Compile(re); err != nil {
						t.Errorf("%s: nogo config: %s.%s: %v", path, name, key, err)
					}
				}
			case "analyzer_flags":
				for flag := range values {
					for _, a := range applies {
						if a.Flags.Lookup(flag) == nil {
							t.Errorf("%s: nogo config: %s.analyzer_flags: analyzer %s has no flag %q", path, name, a.Name, flag)
						}
					}
				}
			default:
				t.Errorf("%s: nogo config: %s: key %q is none of only_files, exclude_files, analyzer_flags, description", path, name, key)
			}
		}
	}
}
