package migratecmd

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestConfirmDropsFlakyTests(t *testing.T) {
	m := &migration{}
	s := &Stage{}
	runs := 0
	c := check{"test", func(context.Context) ([]string, error) {
		runs++
		return []string{"p TestSteady"}, nil
	}}
	got, err := m.confirm(context.Background(), s, []string{"p TestFlaky", "p TestSteady"}, c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"p TestSteady"}) || runs != 1 {
		t.Errorf("confirm = %v after %d run(s), want [p TestSteady] after 1", got, runs)
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "Flaky: p TestFlaky failed once and passed when run again") {
		t.Errorf("notes %q", s.Notes)
	}
}
