package engine

import (
	"slices"
	"testing"

	"github.com/upshift-dev/upshift/internal/govet"
)

func TestImporterDirs(t *testing.T) {
	graph := map[string]*govet.Package{
		"m/a":      {Dir: "/m/a"},
		"m/a_test": {Dir: "/m/a", Imports: []string{"m/a", "m/c"}},
		"m/b":      {Dir: "/m/b", Imports: []string{"m/a", "fmt"}},
		"m/c":      {Dir: "/m/c", Imports: []string{"m/b"}},
		"m/d":      {Dir: "/m/d", Imports: []string{"fmt"}},
		"m/e":      {Dir: "/m/e", Imports: []string{"m/d"}},
	}
	got := importerDirs(graph, map[string]bool{"/m/a": true})
	if want := []string{"/m/b", "/m/c"}; !slices.Equal(got, want) {
		t.Errorf("importers of /m/a = %v, want %v (b directly, c through b; not d or e)", got, want)
	}
	if got := importerDirs(graph, map[string]bool{"/m/e": true}); len(got) != 0 {
		t.Errorf("importers of /m/e = %v, want none", got)
	}
	if got := importerDirs(nil, map[string]bool{"/m/a": true}); len(got) != 0 {
		t.Errorf("no graph: %v", got)
	}
}
