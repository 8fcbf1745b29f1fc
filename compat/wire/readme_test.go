package wire

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report"
)

// The README's Rules section is generated from Rules (go test -update),
// so that the SARIF help links and the docs never drift from the code.
func TestReadmeRules(t *testing.T) {
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(data)
	intro, _, _ := strings.Cut(text, "## Rules")
	want := intro + report.RulesMarkdown(Rules)
	if *update {
		require.NoError(t, os.WriteFile("README.md", []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, text, "README.md rules are stale: go test -update")
}

func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		assert.False(t, seen[r.ID], "duplicate rule %s", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Summary, r.ID)
		assert.Contains(t, []report.Level{report.LevelError, report.LevelWarning, report.LevelNote}, r.Level, r.ID)
	}
}
