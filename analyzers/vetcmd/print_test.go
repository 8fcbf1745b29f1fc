package vetcmd

import (
	"bytes"
	"encoding/json"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/analyzers/meta"
)

// TestSARIFRankedLevels checks that maporder's per-finding severity (its
// Category) sets the SARIF level, and that other analyzers keep their
// check's level whatever their Category says.
func TestSARIFRankedLevels(t *testing.T) {
	set := Suite{Checks: []meta.Check{
		{Name: "maporder", ID: "UP1001", Severity: "warning"},
		{Name: "other", ID: "UP9998", Severity: "warning"},
	}}
	pos := token.Position{Filename: "/r/a.go", Line: 3, Column: 1}
	var findings []Finding
	for _, cat := range []string{"high", "medium", "low"} {
		findings = append(findings, Finding{Analyzer: "maporder", Category: cat, Pos: pos, Message: "m [" + cat + "]"})
	}
	findings = append(findings, Finding{Analyzer: "other", Category: "high", Pos: pos, Message: "x"})
	var buf bytes.Buffer
	require.NoError(t, printSARIF(&buf, "/r", set, findings))
	var log struct {
		Runs []struct {
			Results []struct{ RuleID, Level string }
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &log))
	require.Len(t, log.Runs, 1)
	var got []string
	for _, r := range log.Runs[0].Results {
		got = append(got, r.RuleID+":"+r.Level)
	}
	assert.Equal(t, []string{"UP1001:error", "UP1001:warning", "UP1001:note", "UP9998:warning"}, got)
}
