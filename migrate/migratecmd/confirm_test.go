package migratecmd

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/command"
)

// TestConfirm: a failure that does not repeat is flaky; one that repeats
// is run at the stage's start, and blamed on the stage only if it passes
// there.
func TestConfirm(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	dir := gitRepo(t, "testdata/confirm.txtar")
	var stderr bytes.Buffer
	m := &migration{env: command.Env{Stderr: &stderr}, dir: dir, wt: repo{dir: dir}}
	s := &Stage{}
	runs := 0
	again := []string{"example.com/p TestSteady", "example.com/p TestBroken", "example.com/p TestBroken/sub"}
	c := check{"test", func(context.Context) ([]string, error) {
		runs++
		return again, nil
	}}
	got, err := m.confirm(context.Background(), s, append([]string{"example.com/p TestFlaky"}, again...), c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"example.com/p TestSteady"}) || runs != 1 {
		t.Errorf("confirm = %v after %d run(s), want [example.com/p TestSteady] after 1", got, runs)
	}
	notes := strings.Join(s.Notes, "\n")
	for _, want := range []string{
		"Flaky: example.com/p TestFlaky failed once and passed when run again",
		"Flaky: example.com/p TestBroken, example.com/p TestBroken/sub failed twice, and also fails at the stage's start",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if wts := git(t, dir, "worktree", "list"); strings.Count(wts, "\n") != 0 {
		t.Errorf("the worktree at the stage's start was not removed:\n%s", wts)
	}
}
