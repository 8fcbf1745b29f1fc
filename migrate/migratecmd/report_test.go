package migratecmd

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReports(t *testing.T) {
	r := report{Branch: "upshift/go1.26", From: "go1.20", To: "go1.26", Stages: []Stage{
		{N: 0, Name: "baseline", Commit: "0123456789abc", Verified: true, Pass: 3, Findings: 2, FindingsBy: "maporder 2", Pins: []string{}, Perf: "bench", InstrPerOp: 2000, Duration: time.Second},
		{N: 2, Name: "safe fixes", Commit: "abcdef012345", Verified: true, Pass: 3, Pins: []string{"randseednop"}, Perf: "bench: 1 benchmark(s)", InstrPerOp: 4000,
			LeftOut: []string{"maporder a.go:3: m (breaks p TestA)"}},
		{N: 4, Name: "unpin", Verified: false, Pass: 2, Fail: 1, NewFailures: []string{"p TestB"}, Pins: []string{"x"}, KeptPins: []string{"x: test p TestB fails without it"}},
	}}
	dir := t.TempDir()
	md, html := filepath.Join(dir, "r.md"), filepath.Join(dir, "r.html")
	if err := writeReport(md, r); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(html, r); err != nil {
		t.Fatal(err)
	}
	mdText, _ := os.ReadFile(md)
	for _, want := range []string{
		"| 0 baseline | 0123456789 | verified | 3 pass, 0 fail, 0 skip | 2 (maporder 2) | 0 | bench (2000 instr/op) | 1s |",
		"| 4 unpin |  | FAILED | 2 pass, 1 fail, 0 skip; NEW: p TestB |",
		"- left out: maporder a.go:3: m (breaks p TestA)",
		"- pin kept: x: test p TestB fails without it",
	} {
		if !strings.Contains(string(mdText), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, mdText)
		}
	}
	htmlText, _ := os.ReadFile(html)
	s := string(htmlText)
	svg := s[strings.Index(s, "<svg") : strings.Index(s, "</svg>")+len("</svg>")]
	var doc struct {
		Rects    []struct{} `xml:"rect"`
		Polyline []struct {
			Points string `xml:"points,attr"`
		} `xml:"polyline"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("the chart is not well-formed SVG: %v\n%s", err, svg)
	}
	if len(doc.Rects) != 6 || len(doc.Polyline) != 1 || strings.Count(doc.Polyline[0].Points, ",") != 2 {
		t.Errorf("want two bars per stage and a line through the two measured stages; got %d bars, %+v", len(doc.Rects), doc.Polyline)
	}
	if !strings.Contains(s, `<tr class="bad"><td>4 unpin</td>`) {
		t.Errorf("the failed stage is not marked:\n%s", s)
	}
}

// Under -perf capacity the perf column and the chart's line are the
// capacity in req/s.
func TestReportsCapacity(t *testing.T) {
	change := -0.1
	r := report{Branch: "upshift/go1.26", From: "go1.22", To: "go1.26", Stages: []Stage{
		{N: 0, Name: "baseline", Verified: true, Pins: []string{}, Perf: "capacity", Capacity: 300},
		{N: 1, Name: "neutral bump", Verified: true, Pins: []string{"x"}, Perf: "capacity PASS: capacity 300 -> 270 req/s", Capacity: 270, CapacityChange: &change},
	}}
	var md, html strings.Builder
	writeMarkdown(&md, r)
	writeHTML(&html, r)
	if !strings.Contains(md.String(), "| capacity PASS: capacity 300 -> 270 req/s (270 req/s) |") || !strings.Contains(md.String(), "| capacity (300 req/s) |") {
		t.Errorf("Markdown perf cells:\n%s", md.String())
	}
	if !strings.Contains(html.String(), "<title>capacity req/s</title></polyline>") || !strings.Contains(html.String(), "<title>capacity req/s: 270</title>") {
		t.Errorf("the chart should draw capacity:\n%s", html.String())
	}
	var j strings.Builder
	writeJSON(&j, r)
	if !strings.Contains(j.String(), `"capacity_rps": 270,`) || !strings.Contains(j.String(), `"capacity_change": -0.1`) {
		t.Errorf("JSON:\n%s", j.String())
	}
}
