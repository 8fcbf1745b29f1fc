package deps

import (
	"context"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
)

// LoadAPI type-checks the given packages of module path at version (a
// standard library package when version is ""), and returns them by
// path. A module is resolved by the go command into a scratch module
// (`go get path@version`), so it comes from the module cache or the
// module proxy and the user's go.mod is never touched. Packages that do
// not exist in that version are absent from the result.
func LoadAPI(ctx context.Context, path, version string, pkgPaths []string) (map[string]*types.Package, error) {
	out := map[string]*types.Package{}
	if len(pkgPaths) == 0 {
		return out, nil
	}
	tmp, err := os.MkdirTemp("", "upshift-api-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if version != "" {
		gomod := "module upshift.invalid/newapi\n\ngo 1.21\n"
		if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
			return nil, err
		}
		if _, err := goCmd(ctx, tmp, nil, "get", path+"@"+version); err != nil {
			return nil, fmt.Errorf("fetching %s@%s: %w", path, version, err)
		}
	}
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedImports,
		Dir:     tmp,
		Env:     append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod"),
	}
	pkgs, err := packages.Load(cfg, pkgPaths...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", strings.Join(pkgPaths, " "), err)
	}
	for _, p := range pkgs {
		// A package missing from the new version loads with an error:
		// it simply has no counterpart.
		if len(p.Errors) == 0 && p.Types != nil {
			out[p.PkgPath] = p.Types
		}
	}
	return out, nil
}
