package maporder_test

import (
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/analyzers/meta"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maporder.Analyzer, "returns", "flows", "writers", "sorthelp", "suppressed", "compare", "k8s.io/apimachinery/pkg/util/sets")
}

// TestVersions runs the modules under testdata/*.txtar, each with its own go
// line: iterator sources (maps.Keys, slices.Collect) need go1.23.
func TestVersions(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join(analysistest.TestData(), "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no txtar archives in testdata")
	}
	for _, archive := range archives {
		name := strings.TrimSuffix(filepath.Base(archive), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := extract(t, archive)
			analysistest.Run(t, dir, maporder.Analyzer, "./...")
		})
	}
}

// extract writes the files of a txtar archive under a fresh directory.
func extract(t *testing.T, archive string) string {
	return txtarmod.Extract(t, archive)
}

func TestCheck(t *testing.T) {
	c := maporder.Check
	if c.ID != "UP1001" || c.Name != "maporder" {
		t.Errorf("ID/Name = %q/%q", c.ID, c.Name)
	}
	if c.Why == "" || c.Before == "" || c.After == "" || c.Since == "" || c.URL == "" {
		t.Errorf("Check has empty fields: %+v", c)
	}
	if c.Title != meta.Title(maporder.Analyzer.Doc) || c.Title == "" {
		t.Errorf("Title = %q, want the doc title %q", c.Title, meta.Title(maporder.Analyzer.Doc))
	}
	if len(c.Title) > 60 || strings.HasSuffix(c.Title, ".") || strings.ToLower(c.Title) != c.Title {
		t.Errorf("Title %q: want lowercase, no period, <= 60 chars", c.Title)
	}
	if c.Severity != "warning" || c.Tier != meta.TierSafe {
		t.Errorf("Severity/Tier = %q/%q", c.Severity, c.Tier)
	}
}
