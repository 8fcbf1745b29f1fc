// Package meta holds the per-check metadata of upshift's analyzers: the
// data behind `upshift explain`, the README and the SARIF rule table.
package meta

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/internal/tier"
)

// Check describes one analyzer for humans and for report formats.
type Check struct {
	// Analyzer is the analysis pass itself; nil only for checks that the
	// vet command makes outside an analyzer (the directive check).
	Analyzer *analysis.Analyzer
	// Name is the analyzer's name, also used in //upshift:ignore directives.
	Name string
	// ID is the stable rule ID, never reused for another check.
	ID string
	// Title is the one-line summary (lowercase, no period).
	Title string
	// Doc is the long description extracted from the package's doc.go.
	Doc string
	// Finds lists what the check reports, and what it stays silent on, in
	// one paragraph of Markdown: the "finds" column of the README's
	// analyzer table, which is generated from the registry.
	Finds string
	// Why says what goes wrong in production when the hazard is shipped.
	Why string
	// Before is a short Go example that the check reports.
	Before string
	// After is the same example fixed.
	After string
	// Since is the upshift version that introduced the check.
	Since string
	// Severity is "error" or "warning", as used in SARIF.
	Severity string
	// Tier is the safety tier of the check's automatic fix.
	Tier tier.Tier
	// TestVerified is set on a behavior-tier check whose fixes are not
	// safe only because tests can observe what they change (an order
	// the code happened to produce). A run that checks every fix
	// against the module's tests and leaves out the fixes that break
	// one, as upshift migrate does, applies them at the safe tier too;
	// upshift fix, which runs no test, does not.
	TestVerified bool
	// URL points at the check's documentation.
	URL string
}

// CheckOf completes the metadata c of analyzer a with what a already
// says: the analyzer itself, its name, its doc, the doc's title and its URL.
func CheckOf(a *analysis.Analyzer, c Check) Check {
	c.Analyzer, c.Name, c.Doc, c.Title, c.URL = a, a.Name, a.Doc, Title(a.Doc), a.URL
	return c
}

// DocsURL is the base of the per-analyzer documentation links.
const DocsURL = "https://github.com/upshift-dev/upshift/tree/main/analyzers/"

// ExtractDoc returns the documentation of analyzer name from the text of a
// doc.go file. The file's package comment must contain a section
//
//	# Analyzer name
//
//	name: one-line summary
//
//	long description...
//
// The result is "one-line summary\n\nlong description", the form
// analysis.Analyzer.Doc expects.
func ExtractDoc(docGo, name string) (string, error) {
	var lines []string
	inComment := false
	for _, line := range strings.Split(docGo, "\n") {
		switch {
		case strings.HasPrefix(line, "//"):
			inComment = true
			line = strings.TrimPrefix(line, "//")
			line = strings.TrimPrefix(line, " ")
			lines = append(lines, line)
		case inComment:
			// The package comment ends at the first non-comment line.
			goto done
		}
	}
done:
	header := "# Analyzer " + name
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == header {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("doc.go has no %q section", header)
	}
	var body []string
	for _, l := range lines[start:] {
		if strings.HasPrefix(l, "# ") {
			break
		}
		body = append(body, l)
	}
	text := strings.TrimSpace(strings.Join(body, "\n"))
	prefix := name + ": "
	if !strings.HasPrefix(text, prefix) {
		return "", fmt.Errorf("section %q must start with %q", header, prefix)
	}
	return strings.TrimPrefix(text, prefix), nil
}

// MustExtractDoc is ExtractDoc for package initialisation: it panics on a
// malformed doc.go, which the analyzer's tests catch at once.
func MustExtractDoc(docGo, name string) string {
	doc, err := ExtractDoc(docGo, name)
	if err != nil {
		panic(fmt.Sprintf("analyzer %s: %v", name, err))
	}
	return doc
}

// Title returns the first line of an analysis.Analyzer.Doc string.
func Title(doc string) string {
	title, _, _ := strings.Cut(doc, "\n")
	return title
}
