package fixcmd

import (
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/rewrite/engine"
	"github.com/upshift-dev/upshift/rewrite/movefix"
)

// moveSetup parses -move OLD=NEW[@VERSION], checks OLD against the
// module's go.mod and resolves NEW; the move's analyzer replaces the
// analyzers' fixes for this run.
func moveSetup(ctx context.Context, env command.Env, spec string) ([]*analysis.Analyzer, *deps.Target, *deps.ModuleFile, error) {
	old, to, ok := strings.Cut(spec, "=")
	if !ok || old == "" || to == "" {
		return nil, nil, nil, fmt.Errorf("-move %q: want OLD=NEW[@VERSION], e.g. -move github.com/pkg/errors=errors", spec)
	}
	mod, err := deps.FindModule(ctx, env.Dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("-move: %w", err)
	}
	tgt, err := deps.Resolve(ctx, mod, old, to)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("-move: %w", err)
	}
	return []*analysis.Analyzer{movefix.New(tgt)}, tgt, mod, nil
}

// moveGoMod adds the go.mod and go.sum the move needs (go get plus go mod
// tidy, run by the go command on a copy) to the result, so they are
// diffed and written with the Go files.
func moveGoMod(ctx context.Context, res *engine.Result, mod *deps.ModuleFile, tgt *deps.Target) error {
	if len(res.Changed) == 0 {
		return nil
	}
	files, err := movefix.GoModChanges(ctx, mod.Root, res.Changed, tgt)
	if err != nil {
		return err
	}
	for path, data := range files {
		orig, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%s: %w (run go mod tidy first)", path, err)
		}
		res.Original[path] = orig
		res.Changed[path] = data
	}
	return nil
}
