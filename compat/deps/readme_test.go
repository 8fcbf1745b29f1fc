package deps

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite README.md's rules section")

func TestReadmeRules(t *testing.T) { reporttest.ReadmeRules(t, Rules(), *update) }

func TestRuleIDsUnique(t *testing.T) { reporttest.RuleIDsUnique(t, Rules()) }

// TestReadmeTable: every hazard of the table and its source is in the
// README's table.
func TestReadmeTable(t *testing.T) {
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(data)
	for _, m := range Table() {
		for _, s := range m.Sources {
			assert.True(t, strings.Contains(text, s), "README lacks source %s of %s", s, m.ID)
		}
		for _, h := range m.Hazards {
			assert.True(t, strings.Contains(text, "| "+h.Rule+" |"), "README table lacks %s", h.Rule)
			assert.True(t, strings.Contains(text, h.Source), "README lacks source of %s", h.Rule)
		}
	}
}
