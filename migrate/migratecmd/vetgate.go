package migratecmd

import (
	"context"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/internal/govet"
)

// testVetAnalyzers are the analyzers go test runs on a package before
// its tests (cmd/go's defaultVetFlags): one diagnostic of theirs fails
// the package's test build.
var testVetAnalyzers = []string{"atomic", "bool", "buildtags", "directive", "errorsas", "ifaceassert", "nilfunc", "printf", "slog", "stringintconv", "tests"}

// vetGate runs go test's vet checks at the go line the bump just wrote.
// Some of them depend on the go line: from go1.24 printf reports a call
// such as fmt.Printf(s) with a non-constant format and no other argument,
// so a test build that passed at the old line fails at the new one
// (go-kit's metrics/influx). The diagnostics that carry a fix get go
// vet's own (-fix: printf inserts the "%s" format) in the bump's commit;
// the others are named in the stage's notes, and the tests of their
// packages then fail to build and fail the stage, for a hand fix and
// -continue. Stage 5 runs it again once it has dropped the bump's go1.21
// lines, which put more files at the new go line.
func (m *migration) vetGate(ctx context.Context, s *Stage) error {
	res, err := govet.Run{Dir: m.dir, Analyzers: testVetAnalyzers, Env: goEnvExtra}.Do(ctx, m.opts.patterns)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		// A package that does not build: the tests say what is wrong.
		s.Notes = append(s.Notes, "go test's vet checks could not run on every package at the new go line: "+res.Errors[0].Text)
	}
	fixable := map[string]bool{}
	var fixed, left []string
	for _, f := range res.Findings {
		where := fmt.Sprintf("%s:%d:%d: %s", m.rel(f.Pos.Filename), f.Pos.Line, f.Pos.Column, f.Message)
		if len(f.Fixes) > 0 {
			fixable[builtPackage(f.Package)] = true
			fixed = append(fixed, where)
		} else {
			left = append(left, where)
		}
	}
	if len(fixable) > 0 {
		args := []string{"vet", "-fix"}
		for _, a := range testVetAnalyzers {
			args = append(args, "-"+a)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, slices.Sorted(maps.Keys(fixable))...)...)
		cmd.Dir = m.dir
		cmd.Env = goEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go vet -fix: %v\n%s", err, tailLines(string(out), 20))
		}
		slices.Sort(fixed)
		fixed = slices.Compact(fixed) // a package and its test variant report alike
		s.Notes = append(s.Notes, fmt.Sprintf("go test's vet checks at %s report %d call(s) the old go line let pass; fixed with go vet's own fix (go vet -fix): %s.", m.opts.target, len(fixed), strings.Join(fixed, "; ")))
	}
	if len(left) > 0 {
		slices.Sort(left)
		left = slices.Compact(left)
		s.Notes = append(s.Notes, fmt.Sprintf("go test's vet checks at %s report %d call(s) with no automatic fix; their packages' tests fail to build until they are fixed by hand: %s.", m.opts.target, len(left), strings.Join(left, "; ")))
	}
	return nil
}
