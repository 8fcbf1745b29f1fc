package migratecmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/txtarmod"
)

// TestDependencyMoves runs a migration of a module on github.com/pkg/errors
// with and without the moves (moves: true in .upshift.yaml, which
// -moves=false overrides): with them, a stage of its own moves the code to
// errors and fmt, Wrap of a nil error stays nil (the test checks it), and
// go.mod drops the module; without them, nothing moves.
func TestDependencyMoves(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every stage of a migration twice")
	}
	dir := gitRepo(t, "testdata/pkgerrors.txtar")
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("moves: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "config")
	head := git(t, dir, "rev-parse", "HEAD")

	code, stdout, stderr := migrate(t, dir, "-to", "1.26", "-moves=false", "-branch", "plain")
	if code != 0 {
		t.Fatalf("without -moves: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if goMod := git(t, dir, "show", "plain:go.mod"); !strings.Contains(goMod, "require github.com/pkg/errors v0.9.1") {
		t.Errorf("without -moves, go.mod should still require pkg/errors:\n%s", goMod)
	}
	if subjects := git(t, dir, "log", "--format=%s", "main..plain"); strings.Contains(subjects, "dependency move") {
		t.Errorf("without -moves, a move stage ran:\n%s", subjects)
	}

	reportFile := filepath.Join(t.TempDir(), "migration.md")
	code, stdout, stderr = migrate(t, dir, "-to", "1.26", "-report", reportFile)
	if code != 0 {
		t.Fatalf("-moves: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	userUntouched(t, dir, head)
	goMod := git(t, dir, "show", "upshift/go1.26:go.mod")
	if strings.Contains(goMod, "github.com/pkg/errors") || !strings.Contains(goMod, "\ngo 1.26") {
		t.Errorf("go.mod should be at go 1.26 without pkg/errors:\n%s", goMod)
	}
	if sum := git(t, dir, "show", "upshift/go1.26:go.sum"); strings.Contains(sum, "github.com/pkg/errors") {
		t.Errorf("go.sum still lists pkg/errors:\n%s", sum)
	}
	store := git(t, dir, "show", "upshift/go1.26:store.go")
	for _, want := range []string{"\"errors\"", "\"fmt\"", "if err != nil {\n\t\treturn fmt.Errorf(", "fmt.Errorf(\"negative count %d\", n)"} {
		if !strings.Contains(store, want) {
			t.Errorf("store.go lacks %q:\n%s", want, store)
		}
	}
	if strings.Contains(store, "pkg/errors") {
		t.Errorf("store.go still imports pkg/errors:\n%s", store)
	}

	// The move is its own commit, between the safe fixes and the unpin,
	// verified by the tests with its trailers.
	subjects := git(t, dir, "log", "--reverse", "--format=%s", "main..upshift/go1.26")
	want := "stage 2, dependency move: github.com/pkg/errors -> errors"
	if i, j, k := strings.Index(subjects, "stage 2, safe fixes"), strings.Index(subjects, want), strings.Index(subjects, "stage 4, unpin"); i < 0 || j < i || k < j {
		t.Errorf("want the move commit after the safe fixes and before the unpin:\n%s", subjects)
	}
	rev := strings.TrimSpace(git(t, dir, "log", "--format=%H", "--grep", "dependency move:", "main..upshift/go1.26"))
	msg := git(t, dir, "log", "-1", "--format=%B", rev)
	for _, w := range []string{
		"Upshift-Stage: 2 dependency move: github.com/pkg/errors -> errors",
		"Upshift-Tests: 3 passed, 0 failed, 0 skipped; new failures: none",
		"Upshift-Fixes: 1",
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("the move's commit lacks %q:\n%s", w, msg)
		}
	}
	if files := git(t, dir, "show", "--format=", "--name-only", rev); files != "go.mod\ngo.sum\nstore.go" {
		t.Errorf("the move's commit changes %q, want go.mod, go.sum, store.go", files)
	}

	code, status, stderr := migrate(t, dir, "-status")
	if code != 0 || !strings.Contains(status, "2 dependency move: github.com/pkg/errors -> errors") {
		t.Errorf("-status: exit %d, lacks the move stage:\n%s%s", code, status, stderr)
	}
	md, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| 2 dependency move: github.com/pkg/errors -> errors |") {
		t.Errorf("report lacks the move's row:\n%s", md)
	}

	// -continue from the move's commit runs neither the safe fixes nor
	// the move again, only the stages after them.
	git(t, dir, "branch", "-f", "upshift/go1.26", rev)
	code, stdout, stderr = migrate(t, dir, "-to", "1.26", "-moves", "-continue")
	if code != 0 {
		t.Fatalf("-continue: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	subjects = git(t, dir, "log", "--format=%s", "main..upshift/go1.26")
	if strings.Count(subjects, "stage 2, safe fixes") != 1 || strings.Count(subjects, "stage 2, dependency move") != 1 || strings.Count(subjects, "stage 4, unpin") != 1 {
		t.Errorf("-continue after the move: want one safe-fixes, one move and one unpin commit:\n%s", subjects)
	}
}

// TestMoveLeftOutWhenATestBreaks runs the move on the fixture plus a
// package that cannot move (errors.Cause) and a test that reads the stack
// trace pkg/errors records: the stage names the package that stays, and
// the move, which breaks the test, is taken back out whole and recorded.
func TestMoveLeftOutWhenATestBreaks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the move and the tests")
	}
	gitEnv(t)
	dir := txtarmod.Extract(t, "testdata/pkgerrors.txtar")
	for name, src := range map[string]string{
		"stack_test.go": `package store

import (
	"fmt"
	"strings"
	"testing"
)

func TestStack(t *testing.T) {
	if s := fmt.Sprintf("%+v", Get("")); !strings.Contains(s, "store.go:") {
		t.Errorf("no stack trace in %q", s)
	}
}
`,
		"legacy/legacy.go": `// Package legacy matches errors by their cause.
package legacy

import "github.com/pkg/errors"

// IsMissing reports whether err was caused by missing.
func IsMissing(err, missing error) bool { return errors.Cause(err) == missing }
`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "init")

	var stderr bytes.Buffer
	m := &migration{env: command.Env{Stderr: &stderr}, dir: dir, wt: repo{dir: dir},
		opts:     options{patterns: []string{"./..."}, cfg: &Config{}, perf: "off", moves: true},
		baseFail: map[string]bool{}, left: map[string]string{}, findingCache: map[string]findingSet{}}
	s := &Stage{N: 2}
	mg := deps.Find("github.com/pkg/errors", "errors")
	if mg == nil {
		t.Fatal("the move table has no github.com/pkg/errors -> errors")
	}
	if err := m.applyMove(context.Background(), s, *mg); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if len(s.LeftOut) != 1 || s.LeftOut[0] != "move github.com/pkg/errors -> errors (breaks example.com/store TestStack)" || s.Applied != 0 {
		t.Errorf("left out %q, applied %d: want the move left out, blamed on TestStack", s.LeftOut, s.Applied)
	}
	notes := strings.Join(s.Notes, "\n")
	if !strings.Contains(notes, "Not moved, legacy/legacy.go:") || !strings.Contains(notes, "Cause") {
		t.Errorf("the notes should name legacy.go, which cannot move:\n%s", notes)
	}
	if st := git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("the move left out is still in the work tree:\n%s", st)
	}
	// -continue passes over a move left out before.
	m.stages = []Stage{*s}
	if m.moveLeftOut(*mg) == "" {
		t.Errorf("a resumed run would try the move again")
	}
}
