package migratecmd

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/upshift-dev/upshift/internal/command"
)

// report is what -report writes: the ledger of the branch.
type report struct {
	Branch string  `json:"branch"`
	From   string  `json:"from,omitempty"`
	To     string  `json:"to,omitempty"`
	Stages []Stage `json:"stages"`
}

func (m *migration) reportData() report {
	return report{Branch: m.opts.branch, From: m.from, To: m.opts.target, Stages: m.stages}
}

func testsCell(s Stage) string {
	c := fmt.Sprintf("%d pass, %d fail, %d skip", s.Pass, s.Fail, s.Skip)
	if len(s.NewFailures) > 0 {
		c += "; NEW: " + strings.Join(s.NewFailures, ", ")
	}
	return c
}

func state(s Stage) string {
	if s.Verified {
		return "verified"
	}
	return "FAILED"
}

// writeTable prints the stages as a text table.
func writeTable(w io.Writer, branch string, stages []Stage) {
	fmt.Fprintf(w, "upshift migrate: branch %s\n", branch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\tcommit\tstate\ttests\tfindings\tpins\tperf\ttime")
	for _, s := range stages {
		fmt.Fprintf(tw, "%d %s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.N, s.Name, short(s.Commit), state(s), testsCell(s), s.Findings, len(s.Pins), perfCell(s), s.Duration.Round(100*time.Millisecond))
	}
	tw.Flush()
	for _, s := range stages {
		for _, l := range s.LeftOut {
			fmt.Fprintf(w, "left out (stage %d): %s\n", s.N, l)
		}
		for _, k := range s.KeptPins {
			fmt.Fprintf(w, "pin kept (stage %d): %s\n", s.N, k)
		}
	}
}

func perfCell(s Stage) string {
	switch {
	case s.Capacity > 0:
		return fmt.Sprintf("%s (%.0f req/s)", s.Perf, s.Capacity)
	case s.InstrPerOp > 0:
		return fmt.Sprintf("%s (%.0f instr/op)", s.Perf, s.InstrPerOp)
	}
	return s.Perf
}

// showStatus prints the ledger of the branch (-status).
func showStatus(ctx context.Context, env command.Env, r repo, o options) int {
	if !r.branchExists(ctx, o.branch) {
		return env.Errorf("migrate", "-status: branch %s does not exist (no migration to %s started here)", o.branch, strings.TrimPrefix(o.target, "go"))
	}
	stages, after, err := readLedger(ctx, r, o.branch)
	if err != nil {
		return env.Errorf("migrate", "%v", err)
	}
	last := stages[len(stages)-1]
	if o.json {
		if err := writeJSON(env.Stdout, report{Branch: o.branch, To: stages[0].Target, Stages: stages}); err != nil {
			return env.Errorf("migrate", "%v", err)
		}
		return command.ExitOK
	}
	writeTable(env.Stdout, o.branch, stages)
	switch {
	case after > 0:
		fmt.Fprintf(env.Stdout, "%d commit(s) after stage %d: upshift migrate -continue verifies them and runs the stages after %d\n", after, last.N, last.N)
	case last.N < 5:
		fmt.Fprintf(env.Stdout, "stopped after stage %d: fix stage %d by hand on the branch, then upshift migrate -continue\n", last.N, last.N+1)
	default:
		fmt.Fprintln(env.Stdout, "every stage done")
	}
	return command.ExitOK
}

// writeJSON writes the ledger as indented JSON: the structured form of
// the table, for CI.
func writeJSON(w io.Writer, r report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeReport writes the report as Markdown or, for a .html path, HTML
// with an inline SVG chart.
func writeReport(path string, r report) error {
	var b strings.Builder
	if strings.HasSuffix(path, ".html") {
		writeHTML(&b, r)
	} else {
		writeMarkdown(&b, r)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func writeMarkdown(b *strings.Builder, r report) {
	fmt.Fprintf(b, "# upshift migrate: %s -> %s (branch `%s`)\n\n", r.From, r.To, r.Branch)
	b.WriteString("| stage | commit | state | tests | findings | pins | perf | time |\n|---|---|---|---|---|---|---|---|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(b, "| %d %s | %s | %s | %s | %s | %d | %s | %s |\n", s.N, s.Name, short(s.Commit), state(s),
			mdCell(testsCell(s)), mdCell(fmt.Sprintf("%d %s", s.Findings, paren(s.FindingsBy))), len(s.Pins), mdCell(perfCell(s)), s.Duration.Round(100*time.Millisecond))
	}
	for _, s := range r.Stages {
		if len(s.Notes)+len(s.LeftOut)+len(s.KeptPins) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n## stage %d %s\n\n", s.N, s.Name)
		for _, n := range s.Notes {
			fmt.Fprintf(b, "- %s\n", strings.ReplaceAll(n, "\n", "\n  "))
		}
		for _, l := range s.LeftOut {
			fmt.Fprintf(b, "- left out: %s\n", l)
		}
		for _, k := range s.KeptPins {
			fmt.Fprintf(b, "- pin kept: %s\n", k)
		}
	}
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func writeHTML(b *strings.Builder, r report) {
	e := html.EscapeString
	fmt.Fprintf(b, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>upshift migrate %s</title>\n", e(r.Branch))
	b.WriteString("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.bad{color:#b00}</style></head><body>\n")
	fmt.Fprintf(b, "<h1>upshift migrate: %s &rarr; %s</h1>\n<p>branch <code>%s</code></p>\n", e(r.From), e(r.To), e(r.Branch))
	b.WriteString(chart(r.Stages))
	b.WriteString("<table><tr><th>stage</th><th>commit</th><th>state</th><th>tests</th><th>findings</th><th>pins</th><th>perf</th><th>time</th></tr>\n")
	for _, s := range r.Stages {
		cls := ""
		if !s.Verified {
			cls = ` class="bad"`
		}
		fmt.Fprintf(b, "<tr%s><td>%d %s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%d %s</td><td>%d</td><td>%s</td><td>%s</td></tr>\n", cls,
			s.N, e(s.Name), e(short(s.Commit)), state(s), e(testsCell(s)), s.Findings, e(paren(s.FindingsBy)), len(s.Pins), e(perfCell(s)), s.Duration.Round(100*time.Millisecond))
	}
	b.WriteString("</table>\n")
	for _, s := range r.Stages {
		if len(s.Notes)+len(s.LeftOut)+len(s.KeptPins) == 0 {
			continue
		}
		fmt.Fprintf(b, "<h2>stage %d %s</h2><ul>\n", s.N, e(s.Name))
		for _, n := range s.Notes {
			fmt.Fprintf(b, "<li><pre>%s</pre></li>\n", e(n))
		}
		for _, l := range s.LeftOut {
			fmt.Fprintf(b, "<li>left out: %s</li>\n", e(l))
		}
		for _, k := range s.KeptPins {
			fmt.Fprintf(b, "<li>pin kept: %s</li>\n", e(k))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</body></html>\n")
}

// chart draws pins and findings per stage as bars, and the perf figure
// (when measured) as a line on its own scale: capacity in req/s under
// -perf capacity, else instructions/op.
func chart(stages []Stage) string {
	if len(stages) == 0 {
		return ""
	}
	const w, h, pad = 640, 220, 30
	metric, unit := func(s Stage) float64 { return s.InstrPerOp }, "instructions/op"
	for _, s := range stages {
		if s.Capacity > 0 {
			metric, unit = func(s Stage) float64 { return s.Capacity }, "capacity req/s"
		}
	}
	maxBar := 1
	maxMetric := 0.0
	for _, s := range stages {
		maxBar = max(maxBar, len(s.Pins), s.Findings)
		maxMetric = math.Max(maxMetric, metric(s))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="pins, findings and %s per stage">`+"\n", w, h+40, unit)
	slot := float64(w-2*pad) / float64(len(stages))
	bar := slot / 3
	var line []string
	for i, s := range stages {
		x := pad + float64(i)*slot
		ph := float64(h-2*pad) * float64(len(s.Pins)) / float64(maxBar)
		fh := float64(h-2*pad) * float64(s.Findings) / float64(maxBar)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4a7ebb"><title>pins: %d</title></rect>`+"\n", x, float64(h-pad)-ph, bar, ph, len(s.Pins))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e08a2c"><title>findings: %d</title></rect>`+"\n", x+bar, float64(h-pad)-fh, bar, fh, s.Findings)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%d</text>`+"\n", x, h-pad+14, s.N)
		if v := metric(s); maxMetric > 0 && v > 0 {
			y := float64(h-pad) - float64(h-2*pad)*v/maxMetric
			line = append(line, fmt.Sprintf("%.1f,%.1f", x+bar, y))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="#2a2"><title>%s: %.0f</title></circle>`+"\n", x+bar, y, unit, v)
		}
	}
	if len(line) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#2a2" stroke-width="2"><title>%s</title></polyline>`+"\n", strings.Join(line, " "), unit)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12"><tspan fill="#4a7ebb">&#9632; pins</tspan> <tspan fill="#e08a2c">&#9632; findings</tspan> <tspan fill="#2a2">&#8212; %s</tspan> (max %d; stage number below)</text>`+"\n", pad, h+30, unit, maxBar)
	b.WriteString("</svg>\n")
	return b.String()
}
