// Package sarif writes SARIF 2.1.0 logs in the subset GitHub code scanning
// reads: one run, a rule table, results with physical locations relative to
// the repository root.
package sarif

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Schema is the SARIF 2.1.0 JSON schema URI.
const Schema = "https://json.schemastore.org/sarif-2.1.0.json"

// Rule describes one reportable rule.
type Rule struct {
	ID               string
	Name             string
	ShortDescription string
	FullDescription  string
	HelpURI          string
	// Level is the default level: "error", "warning" or "note".
	Level string
}

// Location is a source range. File is relative to the repository root with
// forward slashes; Line is 1-based (0 means the whole file).
type Location struct {
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	// Message optionally says what the location is (used for related
	// locations).
	Message string
}

// Result is one finding.
type Result struct {
	RuleID    string
	Level     string
	Message   string
	Locations []Location
	Related   []Location
}

type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool    tool     `json:"tool"`
	Results []result `json:"results"`
	// ColumnKind tells consumers that columns count UTF-16 units as GitHub
	// expects; go/token columns are bytes, identical for ASCII source.
	ColumnKind string `json:"columnKind"`
}

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules"`
}

type text struct {
	Text string `json:"text"`
}

type rule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name,omitempty"`
	ShortDescription     text        `json:"shortDescription"`
	FullDescription      *text       `json:"fullDescription,omitempty"`
	HelpURI              string      `json:"helpUri,omitempty"`
	DefaultConfiguration *ruleConfig `json:"defaultConfiguration,omitempty"`
}

type ruleConfig struct {
	Level string `json:"level"`
}

type result struct {
	RuleID           string     `json:"ruleId"`
	RuleIndex        int        `json:"ruleIndex"`
	Level            string     `json:"level,omitempty"`
	Message          text       `json:"message"`
	Locations        []location `json:"locations,omitempty"`
	RelatedLocations []location `json:"relatedLocations,omitempty"`
}

type location struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation physicalLocation `json:"physicalLocation"`
	Message          *text            `json:"message,omitempty"`
}

type physicalLocation struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           *region          `json:"region,omitempty"`
}

type artifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// Write writes one run of tool (with its version and information URI) to w:
// the rules in the given order and every result, each result pointing at
// its rule by index. A result naming an unknown rule is an error.
func Write(w io.Writer, toolName, version, infoURI string, rules []Rule, results []Result) error {
	index := make(map[string]int, len(rules))
	out := run{
		Tool: tool{Driver: driver{
			Name: toolName, Version: version, InformationURI: infoURI,
			Rules: make([]rule, 0, len(rules)),
		}},
		Results:    make([]result, 0, len(results)),
		ColumnKind: "utf16CodeUnits",
	}
	for i, r := range rules {
		index[r.ID] = i
		sr := rule{ID: r.ID, Name: r.Name, ShortDescription: text{r.ShortDescription}, HelpURI: r.HelpURI}
		if r.FullDescription != "" {
			sr.FullDescription = &text{r.FullDescription}
		}
		if r.Level != "" {
			sr.DefaultConfiguration = &ruleConfig{Level: r.Level}
		}
		out.Tool.Driver.Rules = append(out.Tool.Driver.Rules, sr)
	}
	for _, r := range results {
		i, ok := index[r.RuleID]
		if !ok {
			return fmt.Errorf("sarif: result for unknown rule %q", r.RuleID)
		}
		sr := result{RuleID: r.RuleID, RuleIndex: i, Level: r.Level, Message: text{r.Message}}
		for _, l := range r.Locations {
			sr.Locations = append(sr.Locations, toLocation(l, nil))
		}
		for j, l := range r.Related {
			id := j + 1
			sr.RelatedLocations = append(sr.RelatedLocations, toLocation(l, &id))
		}
		out.Results = append(out.Results, sr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log{Schema: Schema, Version: "2.1.0", Runs: []run{out}})
}

func toLocation(l Location, id *int) location {
	loc := location{ID: id, PhysicalLocation: physicalLocation{
		ArtifactLocation: artifactLocation{URI: URI(l.File), URIBaseID: "%SRCROOT%"},
	}}
	if l.Line > 0 {
		loc.PhysicalLocation.Region = &region{StartLine: l.Line, StartColumn: l.Column, EndLine: l.EndLine, EndColumn: l.EndColumn}
	}
	if l.Message != "" {
		loc.Message = &text{l.Message}
	}
	return loc
}

// URI turns a relative file path into the forward-slash form SARIF wants,
// escaping characters that are not allowed in a URI reference.
func URI(file string) string {
	file = filepath.ToSlash(file)
	var b strings.Builder
	for _, c := range []byte(file) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"%<>\^`+"`{|}#?", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
