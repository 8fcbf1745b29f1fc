// Package reporttest checks a compat rule table against its documentation,
// shared by the api, wire and toolchain packages' tests.
package reporttest

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report"
)

// ReadmeRules checks that the "## Rules" section of README.md in the
// current directory is generated from rules; with update it rewrites it.
// The docs, the SARIF help links and the code then never drift apart.
func ReadmeRules(t *testing.T, rules []report.Rule, update bool) {
	t.Helper()
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(data)
	intro, _, _ := strings.Cut(text, "## Rules")
	want := intro + report.RulesMarkdown(rules)
	if update {
		require.NoError(t, os.WriteFile("README.md", []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, text, "README.md rules are stale: go test -update")
}

// RuleIDsUnique checks that rule IDs are unique and every rule has a
// summary and a valid level.
func RuleIDsUnique(t *testing.T, rules []report.Rule) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rules {
		assert.False(t, seen[r.ID], "duplicate rule %s", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Summary, r.ID)
		assert.Contains(t, []report.Level{report.LevelError, report.LevelWarning, report.LevelNote}, r.Level, r.ID)
	}
}
