package migratecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
)

// testVetFlags are the analyzers go test runs on a package before its
// tests (cmd/go's defaultVetFlags): one diagnostic of theirs fails the
// package's test build.
var testVetFlags = []string{"-atomic", "-bool", "-buildtags", "-directive", "-errorsas", "-ifaceassert", "-nilfunc", "-printf", "-slog", "-stringintconv", "-tests"}

// vetDiag is one diagnostic of go vet -json.
type vetDiag struct {
	Posn    string          `json:"posn"`
	Message string          `json:"message"`
	Fixes   json.RawMessage `json:"suggested_fixes"`
}

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
	diags, err := m.testVet(ctx, m.opts.patterns)
	if err != nil {
		// go vet could not run (a package that does not build): the tests
		// say what is wrong.
		s.Notes = append(s.Notes, "go test's vet checks could not be run at the new go line: "+firstLine(err.Error()))
		return nil
	}
	fixable := map[string]bool{}
	var fixed, left []string
	for pkg, ds := range diags {
		for _, d := range ds {
			where := m.relPosn(d.Posn) + ": " + d.Message
			if len(d.Fixes) > 0 && string(d.Fixes) != "null" {
				fixable[builtPackage(pkg)] = true
				fixed = append(fixed, where)
			} else {
				left = append(left, where)
			}
		}
	}
	if len(fixable) > 0 {
		args := append(append([]string{"vet", "-fix"}, testVetFlags...), slices.Sorted(maps.Keys(fixable))...)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = m.dir
		cmd.Env = goEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go vet -fix: %v\n%s", err, tailLines(string(out), 20))
		}
		slices.Sort(fixed)
		s.Notes = append(s.Notes, fmt.Sprintf("go test's vet checks at %s report %d call(s) the old go line let pass; fixed with go vet's own fix (go vet -fix): %s.", m.opts.target, len(fixed), strings.Join(fixed, "; ")))
	}
	if len(left) > 0 {
		slices.Sort(left)
		s.Notes = append(s.Notes, fmt.Sprintf("go test's vet checks at %s report %d call(s) with no automatic fix; their packages' tests fail to build until they are fixed by hand: %s.", m.opts.target, len(left), strings.Join(left, "; ")))
	}
	return nil
}

// testVet runs go vet -json with go test's analyzers and returns the
// diagnostics by package ID.
func (m *migration) testVet(ctx context.Context, patterns []string) (map[string][]vetDiag, error) {
	args := append(append([]string{"vet", "-json"}, testVetFlags...), patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = m.dir
	cmd.Env = goEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go vet: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	diags := map[string][]vetDiag{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			return nil, fmt.Errorf("reading go vet -json output: %w", err)
		}
		for pkg, byAnalyzer := range tree {
			for _, name := range slices.Sorted(maps.Keys(byAnalyzer)) {
				raw := byAnalyzer[name]
				var ds []vetDiag
				if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &ds) != nil {
					continue // an analyzer's error on the package: the tests report it
				}
				diags[pkg] = append(diags[pkg], ds...)
			}
		}
	}
	return diags, nil
}

// relPosn makes the file of a "file:line:col" position module-relative.
func (m *migration) relPosn(posn string) string {
	if i := strings.Index(posn, ".go:"); i >= 0 {
		return m.rel(posn[:i+3]) + posn[i+3:]
	}
	return posn
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
