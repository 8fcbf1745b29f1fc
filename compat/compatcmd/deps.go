package compatcmd

import (
	"context"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/compat/report"
	"github.com/upshift-dev/upshift/internal/command"
)

const depsHelp = `usage: upshift compat deps -module OLD -to NEW[@VERSION] [-format text|json|sarif] [-suppress FILE] [-tags list] [-test=false] [packages]

Tells which call sites of the module in the current directory break or
change meaning when the required module OLD is replaced by NEW: a later
version of OLD, a new major path, or a standard library package. The API of
every OLD package the code imports is diffed against its counterpart
(golang.org/x/exp/apidiff; NEW is fetched through the go command, default
version latest) and crossed with the type-checked code; known semantic
hazards come from upshift's curated migration table, each with its source.
Exit 0 nothing affected, 1 affected sites, 2 error.

examples:
  upshift compat deps -module gopkg.in/yaml.v2 -to gopkg.in/yaml.v3 ./...
  upshift compat deps -module github.com/pkg/errors -to errors -format sarif ./... > deps.sarif
  upshift compat deps -module github.com/golang/protobuf -to google.golang.org/protobuf@v1.36.0

flags:
`

func runDeps(ctx context.Context, env command.Env, args []string) int {
	fs := newFlagSet(env, "deps", depsHelp)
	module := fs.String("module", "", "required module to move away from (its version comes from go.mod)")
	to := fs.String("to", "", "target: module path[@version] (default latest) or standard library package")
	format := fs.String("format", "text", "output format: text, json or sarif")
	suppress := fs.String("suppress", "", "suppression file: lines `RULEID symbol reason`")
	tags := fs.String("tags", "", "comma-separated build tags")
	tests := fs.Bool("test", true, "also check test files")
	if code, ok := parse(env, fs, args); !ok {
		return code
	}
	const cmd = "compat deps"
	f, err := report.ParseFormat(*format)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	sups, err := readSuppressions(env, *suppress)
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	r, err := deps.Analyze(ctx, deps.Options{
		Dir: env.Dir, Patterns: fs.Args(), Module: *module, To: *to, Tests: *tests, Tags: *tags,
	})
	if err != nil {
		return env.Errorf(cmd, "%v", err)
	}
	r.Suppress(sups)
	deps.Decide(r)
	return emit(ctx, env, f, r)
}
