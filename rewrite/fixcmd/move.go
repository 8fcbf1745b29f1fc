package fixcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite/engine"
	"github.com/upshift-dev/upshift/rewrite/movefix"
)

// moveSetup parses -move OLD=NEW[@VERSION], checks OLD against the
// module's go.mod and resolves NEW. The move's analyzer, configured by
// the flags returned, replaces the analyzers' fixes for this run: it runs
// through go vet like them (movefix.Analyzer, which the tool serves).
func moveSetup(ctx context.Context, env command.Env, spec string) (*deps.Target, *deps.ModuleFile, error) {
	old, to, ok := strings.Cut(spec, "=")
	if !ok || old == "" || to == "" {
		return nil, nil, fmt.Errorf("-move %q: want OLD=NEW[@VERSION], e.g. -move github.com/pkg/errors=errors", spec)
	}
	mod, err := deps.FindModule(ctx, env.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("-move: %w", err)
	}
	tgt, err := deps.Resolve(ctx, mod, old, to)
	if err != nil {
		return nil, nil, fmt.Errorf("-move: %w", err)
	}
	return tgt, mod, nil
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
	if _, err := os.Stat(filepath.Join(mod.Root, "vendor", "modules.txt")); err == nil && len(files) > 0 {
		return fmt.Errorf("the module vendors its dependencies (vendor/modules.txt): the move would leave vendor/ stale, so nothing was written; remove vendor/, move, then run go mod vendor")
	}
	return nil
}

// moveEnv returns the build flags with which the fix engine loads the
// packages during a move to a module: -modfile points at a copy of
// go.mod (and go.sum) to which `go get NEW@VERSION` added the target, so
// moved files type-check against it while the real go.mod is untouched
// until everything is written. Standard library targets need nothing.
func moveEnv(ctx context.Context, mod *deps.ModuleFile, tgt *deps.Target) ([]string, func(), error) {
	if tgt.NewVersion == "" {
		return nil, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "upshift-modfile-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	modfile := filepath.Join(tmp, "move.mod")
	for from, to := range map[string]string{"go.mod": modfile, "go.sum": filepath.Join(tmp, "move.sum")} {
		data, err := os.ReadFile(filepath.Join(mod.Root, from))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			cleanup()
			return nil, nil, err
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	cmd := exec.CommandContext(ctx, "go", "get", "-modfile="+modfile, tgt.NewPath+"@"+tgt.NewVersion)
	cmd.Dir = mod.Root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("go get %s@%s: %v\n%s", tgt.NewPath, tgt.NewVersion, err, strings.TrimSpace(string(out)))
	}
	return []string{"-modfile=" + modfile}, cleanup, nil
}

// Move computes the dependency move spec (OLD=NEW[@VERSION]) over the
// packages of the module in dir, tests included, the way upshift fix
// -move does, and writes nothing: the result's Changed holds the moved Go
// files with the go.mod and go.sum the move needs, and its Outcomes the
// files that stay on OLD with the reason (Fate engine.Skipped). It lets
// upshift migrate run a move as a stage of its own without a second
// binary; the move runs through go vet with this executable as the tool
// (govet.Self), which must serve movefix.Analyzer (vetcmd.ServeTool
// does). It returns an error wrapping deps.ErrNotRequired when go.mod
// does not require OLD (already moved).
func Move(ctx context.Context, dir string, patterns []string, spec string) (*engine.Result, error) {
	tgt, mod, err := moveSetup(ctx, command.Env{Dir: dir}, spec)
	if err != nil {
		return nil, err
	}
	tool, err := govet.Self()
	if err != nil {
		return nil, err
	}
	buildFlags, cleanup, err := moveEnv(ctx, mod, tgt)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	res, err := engine.Run(ctx, engine.Options{
		Dir: dir, Patterns: patterns, Tests: true,
		Analyzers: []*analysis.Analyzer{movefix.Analyzer}, Tier: tier.Safe, BuildFlags: buildFlags,
		Tool: tool, Flags: movefix.Flags(tgt),
	})
	if err != nil {
		return nil, err
	}
	if err := moveGoMod(ctx, res, mod, tgt); err != nil {
		return nil, err
	}
	return res, nil
}
