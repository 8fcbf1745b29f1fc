package vetcmd

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"path/filepath"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/sarif"
)

// printText writes one line per finding, "file:line:col: message
// (analyzer)", with related positions indented below it.
func printText(w io.Writer, dir string, findings []Finding) error {
	for _, f := range findings {
		if _, err := fmt.Fprintf(w, "%s: %s (%s)\n", posString(dir, f.Pos), f.Message, f.Analyzer); err != nil {
			return err
		}
		for _, r := range f.Related {
			if _, err := fmt.Fprintf(w, "\t%s: %s\n", posString(dir, r.Pos), r.Message); err != nil {
				return err
			}
		}
	}
	return nil
}

func posString(dir string, p token.Position) string {
	p.Filename = relPath(dir, p.Filename)
	return p.String()
}

// The JSON layout is the one `go vet -json` prints: package ID, then
// analyzer name, then the diagnostics.
type jsonDiagnostic struct {
	Category       string        `json:"category,omitempty"`
	Posn           string        `json:"posn"`
	End            string        `json:"end"`
	Message        string        `json:"message"`
	ID             string        `json:"id"`
	SuggestedFixes []govet.Fix   `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated `json:"related,omitempty"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

func printJSON(w io.Writer, findings []Finding) error {
	tree := map[string]map[string][]jsonDiagnostic{}
	for _, f := range findings {
		d := jsonDiagnostic{Category: f.Category, Posn: f.Pos.String(), Message: f.Message, ID: f.ID}
		if f.End.IsValid() {
			d.End = f.End.String()
		}
		for _, r := range f.Related {
			jr := jsonRelated{Posn: r.Pos.String(), Message: r.Message}
			if r.End.IsValid() {
				jr.End = r.End.String()
			}
			d.Related = append(d.Related, jr)
		}
		d.SuggestedFixes = f.Fixes
		if tree[f.Package] == nil {
			tree[f.Package] = map[string][]jsonDiagnostic{}
		}
		tree[f.Package][f.Analyzer] = append(tree[f.Package][f.Analyzer], d)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "\t")
	return enc.Encode(tree)
}

func printSARIF(w io.Writer, root string, set Suite, findings []Finding) error {
	var rules []sarif.Rule
	for _, c := range append(set.Checks, DirectiveCheck) {
		rules = append(rules, sarif.Rule{
			ID: c.ID, Name: c.Name, ShortDescription: c.Title, FullDescription: c.Doc,
			HelpURI: c.URL, Level: level(c.Severity),
		})
	}
	var results []sarif.Result
	for _, f := range findings {
		c := set.check(f.Analyzer)
		lvl := level(c.Severity)
		if l, ok := rankedLevel(f); ok {
			lvl = l
		}
		if f.Category == "suppression" {
			// An unused or reasonless directive is a warning about the
			// directive, whatever the severity of the analyzer it names.
			lvl = "warning"
		}
		r := sarif.Result{RuleID: c.ID, Level: lvl, Message: f.Message,
			Locations: []sarif.Location{location(root, f.Pos, f.End, "")}}
		for _, rel := range f.Related {
			r.Related = append(r.Related, location(root, rel.Pos, rel.End, rel.Message))
		}
		results = append(results, r)
	}
	return sarif.Write(w, "upshift", command.Version, meta.DocsURL, rules, results)
}

// rankedLevel returns the SARIF level of a finding whose analyzer ranks
// each finding (maporder's Category is high, medium or low): high is an
// error, medium a warning, low a note.
func rankedLevel(f Finding) (string, bool) {
	if f.Analyzer != "maporder" {
		return "", false
	}
	switch f.Category {
	case "high":
		return "error", true
	case "medium":
		return "warning", true
	case "low":
		return "note", true
	}
	return "", false
}

func level(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "note":
		return "note"
	default:
		return "warning"
	}
}

func location(root string, pos, end token.Position, msg string) sarif.Location {
	file := pos.Filename
	if rel, err := filepath.Rel(root, file); err == nil {
		file = rel
	}
	loc := sarif.Location{File: file, Line: pos.Line, Column: pos.Column, Message: msg}
	if end.IsValid() {
		loc.EndLine, loc.EndColumn = end.Line, end.Column
	}
	return loc
}
