package report

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

func sample() *Report {
	r := &Report{
		Command: "wire", Base: "v1", Head: "v2", Verdict: "incompatible",
		Reasons: []string{"FULL: neither side can read the other's data"},
		Rules: []Rule{
			{ID: "JSON001", Name: "json-field-removed", Summary: "JSON field removed", Level: LevelError},
			{ID: "JSON002", Name: "json-field-renamed", Summary: "JSON field renamed", Level: LevelError},
			{ID: "JSON101", Name: "json-field-added", Summary: "JSON field added", Level: LevelNote},
		},
		Findings: []Finding{
			{Rule: "JSON101", Level: LevelNote, Group: "json example.com/svc/model.Order", Symbol: "example.com/svc/model.Order.Tag",
				Message: "field Tag added", Head: &Position{File: "model/model.go", Line: 9, Column: 2}},
			{Rule: "JSON001", Level: LevelError, Group: "json example.com/svc/model.Order", Symbol: "example.com/svc/model.Order.Note",
				Message: "field Note removed", Direction: Forward, Loss: "silent", Advice: "deploy head readers first",
				Base: &Position{File: "model/model.go", Line: 7, Column: 2}},
			{Rule: "JSON002", Level: LevelError, Group: "json example.com/svc/model.Order", Symbol: "example.com/svc/model.Order.Name",
				Message: "field Name renamed to FullName", Direction: Full, Loss: "silent", Advice: "version the cache key",
				Base: &Position{File: "model/model.go", Line: 5, Column: 2}, Head: &Position{File: "model/model.go", Line: 5, Column: 2},
				Details: []string{"Name: wrote s1, read \"\""}},
		},
	}
	r.Sort()
	return r
}

func TestPrintGolden(t *testing.T) {
	for _, f := range []Format{FormatText, FormatJSON, FormatSARIF} {
		var buf bytes.Buffer
		require.NoError(t, Print(&buf, f, sample(), Options{PathPrefix: "services/svc"}))
		path := "testdata/sample." + string(f) + ".golden"
		if *update {
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(want), buf.String(), "%s (go test -update rewrites it)", path)
	}
}

func TestSortPutsSilentLossFirst(t *testing.T) {
	r := sample()
	assert.Equal(t, "JSON002", r.Findings[0].Rule) // silent, FULL
	assert.Equal(t, "JSON001", r.Findings[1].Rule) // silent, FORWARD
	assert.Equal(t, "JSON101", r.Findings[2].Rule) // note last
	assert.True(t, r.Incompatible())
}

func TestSuppressions(t *testing.T) {
	sups, err := ParseSuppressions(strings.NewReader("# comment\n\nJSON001 example.com/svc/model.Order.Note  removed on purpose, no reader left\nJSON002 example.com/svc/model.*  renamed before launch\nJSON003 nothing  stale\n"), "s.txt")
	require.NoError(t, err)
	require.Len(t, sups, 3)
	assert.Equal(t, "removed on purpose, no reader left", sups[0].Reason)
	r := sample()
	r.Suppress(sups)
	assert.False(t, r.Incompatible())
	assert.Equal(t, []string{"s.txt:5: unused suppression JSON003 nothing"}, r.Notes)

	_, err = ParseSuppressions(strings.NewReader("JSON001 x\n"), "s.txt")
	assert.ErrorContains(t, err, "s.txt:1:")
	assert.ErrorContains(t, err, "needs a reason")
}

func TestParseFormat(t *testing.T) {
	f, err := ParseFormat("sarif")
	require.NoError(t, err)
	assert.Equal(t, FormatSARIF, f)
	_, err = ParseFormat("yaml")
	assert.Error(t, err)
}

// The summary counts findings by level; the run's remarks are listed under
// their own heading, so "0 notes" never sits next to a list called notes.
// Groups of notes with no position (GODEBUG defaults) come after what
// failed, whatever their names.
func TestTextRemarksAndContextLast(t *testing.T) {
	r := &Report{Command: "toolchain", Base: "a", Head: "b", Verdict: "incompatible",
		Findings: []Finding{
			{Rule: "TC010", Level: LevelNote, Group: "GODEBUG defaults (go 1.22 -> go 1.26)", Symbol: "godebug x", Message: "x changed"},
			{Rule: "TC004", Level: LevelNote, Group: "package example.com/a", Symbol: "example.com/a", Message: "builds only under new",
				Base: &Position{File: "a.go", Line: 1, Column: 1}},
			{Rule: "TC001", Level: LevelError, Group: "package example.com/z", Symbol: "z.TestZ", Message: "fails under new",
				Head: &Position{File: "z.go", Line: 1, Column: 1}},
		},
		Notes: []string{"head: go line raised"},
	}
	var buf bytes.Buffer
	require.NoError(t, Print(&buf, FormatText, r, Options{}))
	out := buf.String()
	assert.NotContains(t, out, "\nnotes\n")
	assert.Contains(t, out, "\nremarks\n  - head: go line raised\n")
	z, a, g := strings.Index(out, "package example.com/z"), strings.Index(out, "package example.com/a"), strings.Index(out, "GODEBUG defaults")
	assert.True(t, z < a && a < g, "order: failures, positioned notes, then context:\n%s", out)
}
