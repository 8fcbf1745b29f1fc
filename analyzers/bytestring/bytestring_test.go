package bytestring_test

import (
	"path/filepath"
	"testing"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/internal/txtarmod"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/bytestring"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bytestring.Analyzer,
		"config", "loader", "cache", "flags", "webhook", "scanner", "equality", "logging", "crosspkg/server", "suppressed")
}

// fixed lists the testdata packages whose findings have rewrites, each
// with .golden files.
var fixed = []string{"config", "loader", "cache", "flags", "webhook", "scanner", "equality", "logging", "crosspkg/server"}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), bytestring.Analyzer, fixed...)
}

// TestFixedCode proves that the fixed sources compile, that a second run
// has nothing left to fix, and that no comment was lost.
func TestFixedCode(t *testing.T) {
	rewritetest.CheckGolden(t, analysistest.TestData(), bytestring.Analyzer, fixed...)
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
	assert.Equal(t, tier.Behavior, c.Tier)
	assert.LessOrEqual(t, len(c.Title), 60)
	assert.NotContains(t, c.Title, ".")
}

// FuzzFix feeds single-file programs through the analyzer and its
// rewrites: no panic, and every fixed source parses.
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, bytestring.Analyzer,
		`package p

import (
	"bytes"
	"os"
)

func load() map[string]any {
	data, _ := os.ReadFile("cfg")
	return map[string]any{"mode": bytes.TrimSpace(data)}
}

func on() bool {
	cfg := load()
	switch cfg["level"] {
	case "debug", "info":
	}
	return cfg["mode"] == "fast" // comment
}
`,
		`package p

import (
	"fmt"
	"log"
	"os/exec"
	"reflect"
)

func run() error {
	out, err := exec.Command("true").Output()
	log.Println("out:", out)
	_ = reflect.DeepEqual(out, "x")
	return fmt.Errorf("failed: %v: %+v", err, out)
}
`,
		`package p

import (
	"errors"
	"strings"
)

type Tags []string

func (t *Tags) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*t = strings.Split(v, ",")
	default:
		return errors.New("unsupported")
	}
	return nil
}

func kind(x any) int {
	var v any = []byte("a")
	switch v.(type) {
	case string:
		return 1
	}
	return 0
}
`)
}
