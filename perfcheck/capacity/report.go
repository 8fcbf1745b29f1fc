package capacity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes the report as indented JSON (durations in ns, sizes in
// bytes, rates in requests per second).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for people: the verdict first, then why,
// then every step.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "upshift perf capacity: base %s vs head %s\n", r.Base.Spec, r.Head.Spec)
	fmt.Fprintf(&b, "budget: %d CPU (%s), GOMEMLIMIT %s; steps: %s warm-up + %s; pass: achieved >= 99%% of offered, p99 <= %s, errors <= %.2f%%, RSS <= %s\n\n",
		r.CPUs, r.CPUSet, FormatBytes(r.Memory), FormatDuration(r.Warmup), FormatDuration(r.Window), FormatDuration(r.SLO), 100*r.MaxErrorRate, FormatBytes(r.Memory))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	capHeader := "capacity"
	if len(r.Trials) > 1 {
		capHeader = "capacity (trial 1)"
	}
	fmt.Fprintf(tw, "\t%s\tbound\t%s\tCPU/request\tGC\tpeak RSS\thandler/request\n", capHeader, workHeader(r))
	for _, s := range []Side{r.Base, r.Head} {
		fmt.Fprintf(tw, "%s\t%.0f req/s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Label, s.Search.Capacity, s.Bound.Bound, workCell(s.Work),
			atCap(s, func(st Step) string { return FormatDuration(st.CPUPerRequest) }),
			atCap(s, func(st Step) string { return fmt.Sprintf("%.0f%%", 100*st.GCShare) }),
			atCap(s, func(st Step) string { return FormatBytes(st.PeakRSS) }),
			handlerCell(s.Handler))
	}
	tw.Flush()
	b.WriteString("\n")
	for _, s := range []Side{r.Base, r.Head} {
		fmt.Fprintf(&b, "%s bound by %s: %s\n", s.Label, s.Bound.Bound, s.Bound.Why)
	}
	for _, s := range []Side{r.Base, r.Head} {
		if s.Work != nil {
			fmt.Fprintf(&b, "%s work: %s\n", s.Label, s.Work.Describe)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	b.WriteString("\n")
	if r.Verdict.Story != "" {
		fmt.Fprintf(&b, "%s\n", r.Verdict.Story)
	}
	if len(r.Trials) > 1 {
		writeTrials(&b, r)
	}
	fmt.Fprintf(&b, "%s: %s\n", r.Verdict.Outcome, r.Verdict.Summary)
	if r.Verdict.Reason != "" {
		fmt.Fprintf(&b, "why: %s\n", r.Verdict.Reason)
	}
	if r.Verdict.Advice != "" {
		fmt.Fprintf(&b, "what to do: %s\n", r.Verdict.Advice)
	}
	if r.Verdict.NoiseWhy != "" && r.Verdict.Reason == "" {
		fmt.Fprintf(&b, "note: the machine was noisy (%s)\n", r.Verdict.NoiseWhy)
	}
	for _, s := range []Side{r.Base, r.Head} {
		fmt.Fprintf(&b, "\nsteps (%s, in the order run):\n", s.Label)
		writeSteps(&b, s.Search.Steps)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func workHeader(r *Report) string {
	for _, s := range []Side{r.Base, r.Head} {
		if s.Work != nil {
			if s.Work.Unit == "instructions" {
				return "instructions/request (" + s.Work.Backend + ")"
			}
			return "CPU time/request (" + s.Work.Backend + ", sequential)"
		}
	}
	return "work/request"
}

func workCell(w *Work) string {
	switch {
	case w == nil:
		return "-"
	case w.Unit == "instructions":
		return fmt.Sprintf("%.4gM", w.PerRequest/1e6)
	}
	return FormatDuration(time.Duration(w.PerRequest))
}

func handlerCell(h *HandlerWork) string {
	if h == nil {
		return "-"
	}
	return h.String()
}

func atCap(s Side, f func(Step) string) string {
	if s.Search.AtCapacity == nil {
		return "-"
	}
	return f(*s.Search.AtCapacity)
}

func writeSteps(w io.Writer, steps []Step) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rate\tachieved\tp50\tp90\tp99\terrors\tCPU\twait\tGC\tRSS\tresult\t")
	for _, s := range steps {
		res := "pass"
		if !s.Pass {
			res = "fail: " + s.Why
		}
		if s.Retry {
			res += " (retry)"
		}
		fmt.Fprintf(tw, "%.0f\t%.0f\t%s\t%s\t%s\t%d\t%.2f\t%.2f\t%.0f%%\t%s\t%s\t\n", s.Rate, s.Achieved,
			FormatDuration(s.P50), FormatDuration(s.P90), FormatDuration(s.P99), s.Errors, s.CPU, s.CPUWait, 100*s.GCShare, FormatBytes(s.PeakRSS), res)
	}
	tw.Flush()
}

// WriteFile writes the report to path atomically (a temporary file in
// the same directory renamed over it): .html gets the chart and the step
// tables, .svg the chart alone.
func (r *Report) WriteFile(path string) error {
	var b bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		if err := r.WriteSVG(&b); err != nil {
			return err
		}
	case ".html", ".htm":
		if err := r.WriteHTML(&b); err != nil {
			return err
		}
	default:
		return fmt.Errorf("report %s: want a .html or .svg file", path)
	}
	return writeAtomic(path, b.Bytes())
}

// writeAtomic creates or replaces path so that readers never see a
// partial report.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".upshift-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// Chart geometry.
const (
	chartW, chartH                 = 720, 420
	padL, padR, padT, padB float64 = 70, 20, 30, 50
)

var sideColors = map[string]string{"base": "#1f77b4", "head": "#d62728"}

// WriteSVG draws offered rate (x, linear) against p99 latency (y, log:
// latency explodes past capacity) for both sides, with the SLO as a
// dashed line and each capacity as a dotted vertical line.
func (r *Report) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	var maxRate float64
	minLat, maxLat := math.Inf(1), float64(r.SLO)
	for _, s := range []Side{r.Base, r.Head} {
		for _, st := range s.Search.Steps {
			maxRate = math.Max(maxRate, st.Rate)
			if st.P99 > 0 {
				minLat = math.Min(minLat, float64(st.P99))
				maxLat = math.Max(maxLat, float64(st.P99))
			}
		}
	}
	if maxRate == 0 || math.IsInf(minLat, 1) {
		minLat, maxLat, maxRate = 1e5, 1e8, 1
	}
	// Decades that hold every point and the SLO.
	lo := math.Pow(10, math.Floor(math.Log10(math.Min(minLat, float64(r.SLO)))))
	hi := math.Pow(10, math.Ceil(math.Log10(maxLat*1.01)))
	xmax := niceCeil(maxRate * 1.05)
	pw, ph := chartW-padL-padR, chartH-padT-padB
	x := func(rate float64) float64 { return padL + pw*rate/xmax }
	y := func(ns float64) float64 {
		ns = math.Max(ns, lo)
		return padT + ph*(1-(math.Log10(ns)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo)))
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<title>offered rate vs p99 latency: base %s, head %s</title>`+"\n", esc(r.Base.Spec), esc(r.Head.Spec))
	fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#888"/>`+"\n", padL, padT, pw, ph)
	for i := 0; i <= 5; i++ {
		v := xmax * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>`+"\n",
			x(v), padT, x(v), padT+ph, x(v), padT+ph+16, v)
	}
	for d := lo; d <= hi*1.001; d *= 10 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n",
			padL, y(d), padL+pw, y(d), padL-6, y(d)+4, FormatDuration(time.Duration(d)))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">offered rate (req/s)</text>`+"\n", padL+pw/2, chartH-10)
	fmt.Fprintf(&b, `<text x="14" y="%.1f" text-anchor="middle" transform="rotate(-90 14 %.1f)">p99 latency</text>`+"\n", padT+ph/2, padT+ph/2)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#555" stroke-dasharray="6 4"/><text x="%.1f" y="%.1f" text-anchor="end" fill="#555">SLO p99 %s</text>`+"\n",
		padL, y(float64(r.SLO)), padL+pw, y(float64(r.SLO)), padL+pw-4, y(float64(r.SLO))-4, FormatDuration(r.SLO))
	for i, s := range []Side{r.Base, r.Head} {
		color := sideColors[s.Label]
		steps := append([]Step(nil), s.Search.Steps...)
		sort.SliceStable(steps, func(i, j int) bool { return steps[i].Rate < steps[j].Rate })
		var pts []string
		for _, st := range steps {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(st.Rate), y(float64(st.P99))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`+"\n", color, strings.Join(pts, " "))
		for _, st := range steps {
			fill := color
			if !st.Pass {
				fill = "white"
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s" stroke="%s"><title>%s %.0f req/s: p99 %s, %s</title></circle>`+"\n",
				x(st.Rate), y(float64(st.P99)), fill, color, s.Label, st.Rate, FormatDuration(st.P99), passWord(st))
		}
		if c := s.Search.Capacity; c > 0 {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="2 3"/>`+"\n", x(c), padT, x(c), padT+ph, color)
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/><text x="%.1f" y="%.1f">%s %s: %.0f req/s (%s)</text>`+"\n",
			padL+8, padT+8+float64(i)*16, color, padL+22, padT+17+float64(i)*16, s.Label, esc(s.Spec), s.Search.Capacity, s.Bound.Bound)
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func passWord(s Step) string {
	if s.Pass {
		return "pass"
	}
	return "fail: " + s.Why
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// niceCeil rounds v up to a round multiple of a power of ten (1, 1.2,
// 1.5, 2, 2.5, 3, 4, 5, 6 or 8), for axis ends that waste little room.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"dur":   FormatDuration,
	"bytes": FormatBytes,
	"pct":   func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
}).Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>upshift perf capacity</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}.fail{color:#b00}.pass{color:#070}pre{white-space:pre-wrap}</style>
</head><body>
<h1>upshift perf capacity</h1>
<p class="{{if .R.Verdict.Pass}}pass{{else}}fail{{end}}"><b>{{.R.Verdict.Outcome}}</b>: {{.R.Verdict.Summary}}</p>
{{with .R.Verdict.Story}}<p><b>{{.}}</b></p>{{end}}
{{with .R.Verdict.Reason}}<p>Why: {{.}}</p>{{end}}{{with .R.Verdict.Advice}}<p>What to do: {{.}}</p>{{end}}
{{if gt (len .R.Trials) 1}}<table><tr><th>trial</th><th>first</th><th>base req/s</th><th>head req/s</th><th>change</th><th>other CPU</th><th>steal</th><th>wait</th><th>time</th></tr>
{{range $i, $t := .R.Trials}}<tr><td>{{$i}}</td><td>{{$t.First}}</td><td>{{printf "%.0f" $t.Base}}</td><td>{{printf "%.0f" $t.Head}}</td><td>{{pct $t.Change}}</td><td>{{printf "%.2f" $t.Noise.OtherCPU}}</td><td>{{printf "%.2f" $t.Noise.Steal}}</td><td>{{printf "%.2f" $t.Noise.Wait}}</td><td>{{dur $t.Elapsed}}</td></tr>
{{end}}</table>{{end}}
<p>Budget: {{.R.CPUs}} CPU ({{.R.CPUSet}}), GOMEMLIMIT {{.Mem}}. Pass: achieved &ge; 99% of offered, p99 &le; {{.SLO}}, errors &le; {{.Errs}}.</p>
{{.SVG}}
{{range .Sides}}<h2>{{.Label}}: {{.Spec}}</h2>
<p>Capacity {{printf "%.0f" .Search.Capacity}} req/s, bound by <b>{{.Bound.Bound}}</b>: {{.Bound.Why}}</p>
{{with .Work}}<p>Work per request: {{printf "%.0f" .PerRequest}} {{.Unit}} ({{.Backend}}: {{.Describe}})</p>{{end}}
<table><tr><th>rate</th><th>achieved</th><th>p50</th><th>p90</th><th>p99</th><th>errors</th><th>CPU</th><th>wait</th><th>GC</th><th>RSS</th><th>result</th></tr>
{{range .Search.Steps}}<tr><td>{{printf "%.0f" .Rate}}</td><td>{{printf "%.0f" .Achieved}}</td><td>{{dur .P50}}</td><td>{{dur .P90}}</td><td>{{dur .P99}}</td><td>{{.Errors}}</td><td>{{printf "%.2f" .CPU}}</td><td>{{printf "%.2f" .CPUWait}}</td><td>{{pct .GCShare}}</td><td>{{bytes .PeakRSS}}</td><td class="{{if .Pass}}pass{{else}}fail{{end}}">{{if .Pass}}pass{{else}}{{.Why}}{{end}}{{if .Retry}} (retry){{end}}</td></tr>
{{end}}</table>
{{end}}
{{range .R.Notes}}<p>Note: {{.}}</p>{{end}}
</body></html>
`))

// WriteHTML writes a self-contained page: verdict, chart, step tables.
func (r *Report) WriteHTML(w io.Writer) error {
	var svg bytes.Buffer
	if err := r.WriteSVG(&svg); err != nil {
		return err
	}
	data := struct {
		R              *Report
		Sides          []Side
		SVG            template.HTML
		Mem, SLO, Errs string
	}{r, []Side{r.Base, r.Head}, template.HTML(svg.String()), FormatBytes(r.Memory), FormatDuration(r.SLO), fmt.Sprintf("%.2f%%", 100*r.MaxErrorRate)}
	return htmlPage.Execute(w, data)
}

// writeTrials writes one line per trial and each side's interval.
func writeTrials(w io.Writer, r *Report) {
	fmt.Fprintf(w, "trials (each measures both sides; the first is the full interleaved search):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "trial\tfirst\tbase req/s\thead req/s\tchange\tother CPU\tsteal\twait\ttime\t")
	for i, t := range r.Trials {
		change := "-"
		if t.Valid {
			change = fmt.Sprintf("%+.1f%%", 100*t.Change)
		}
		fmt.Fprintf(tw, "%d\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%.2f\t%s\t\n", i+1, t.First, t.Base, t.Head, change,
			known(t.Noise.OtherCPU), known(t.Noise.Steal), t.Noise.Wait, FormatDuration(t.Elapsed))
	}
	tw.Flush()
	for _, s := range []Side{r.Base, r.Head} {
		if s.Interval != nil {
			fmt.Fprintf(w, "%s capacity: median %.0f req/s [%.0f, %.0f] (%.0f%% confidence)\n", s.Label, s.Interval.Center, s.Interval.Lo, s.Interval.Hi, 100*s.Interval.Confidence)
		}
	}
	fmt.Fprintf(w, "wall time of the %d trials: %s (the first alone: %s)\n\n", len(r.Trials), FormatDuration(r.Elapsed), FormatDuration(r.Trials[0].Elapsed))
}

func known(v float64) string {
	if v < 0 {
		return "?"
	}
	return fmt.Sprintf("%.2f", v)
}
