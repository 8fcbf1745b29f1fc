package bytestring_test

import (
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/bytestring"
	"github.com/upshift-dev/upshift/analyzers/meta"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bytestring.Analyzer,
		"config", "loader", "cache", "flags", "webhook", "scanner", "equality", "logging", "crosspkg/server", "suppressed")
}

// TestVersions runs each txtar module under testdata/versions in module
// mode, with its own go line.
func TestVersions(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join(analysistest.TestData(), "versions", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, archives)
	for _, archive := range archives {
		t.Run(filepath.Base(archive), func(t *testing.T) {
			dir := extract(t, archive)
			analysistest.Run(t, dir, bytestring.Analyzer, "./...")
		})
	}
}

// extract writes the files of a txtar archive into a fresh directory.
func extract(t *testing.T, archive string) string {
	return txtarmod.Extract(t, archive)
}

func TestCheck(t *testing.T) {
	c := bytestring.Check
	assert.Equal(t, "bytestring", c.Name)
	assert.Equal(t, "UP1002", c.ID)
	assert.NotEmpty(t, c.Why)
	assert.NotEmpty(t, c.Before)
	assert.NotEmpty(t, c.After)
	assert.Equal(t, meta.Title(bytestring.Analyzer.Doc), c.Title)
	assert.Equal(t, "error", c.Severity)
	assert.Equal(t, meta.TierSafe, c.Tier)
	assert.LessOrEqual(t, len(c.Title), 60)
	assert.NotContains(t, c.Title, ".")
}
