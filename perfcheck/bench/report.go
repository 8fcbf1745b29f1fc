package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
)

// Config keys naming the backend and the side in benchmark-format files.
// Read them with benchstat -col side FILE.
const (
	ConfigBackend = "backend"
	ConfigSide    = "side"
)

// WriteBenchfmt writes every measurement in the standard Go benchmark
// format, one line per side, round and benchmark, with the counted units
// next to ns/op, B/op and allocs/op, and a config line naming the backend
// and the side (benchstat -col side FILE compares them).
func (rep *Report) WriteBenchfmt(w io.Writer) error {
	bw := benchfmt.NewWriter(w)
	for _, u := range rep.units {
		if u == "ns/op" || u == "B/op" || u == "allocs/op" {
			continue
		}
		better := "lower"
		if !LowerIsBetter(u) {
			better = "higher"
		}
		m := &benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u, Key: "better"}, OrigUnit: u, Value: better}
		if err := bw.Write(m); err != nil {
			return fmt.Errorf("writing benchmark file: %w", err)
		}
	}
	for _, x := range rep.runs {
		fc := rep.configs[x.pkg]
		res := &benchfmt.Result{Name: benchfmt.Name(x.name), Iters: x.iters}
		for _, kv := range [][2]string{{"goos", fc.goos}, {"goarch", fc.goarch}, {"pkg", x.pkg}, {"cpu", fc.cpu}, {ConfigBackend, x.backend}, {ConfigSide, x.side}} {
			if kv[1] != "" {
				res.Config = append(res.Config, benchfmt.Config{Key: kv[0], Value: []byte(kv[1]), File: true})
			}
		}
		if res.Iters == 0 {
			res.Iters = 1
		}
		for _, u := range x.units {
			res.Values = append(res.Values, benchfmt.Value{Value: x.values[u], Unit: u})
		}
		if err := bw.Write(res); err != nil {
			return fmt.Errorf("writing benchmark file: %w", err)
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON. Infinite confidence
// bounds and undefined deltas are null.
func (rep *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding report: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// MarshalJSON encodes NaN and infinities, which JSON lacks, as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Median     *float64  `json:"median"`
		Lo         *float64  `json:"lo"`
		Hi         *float64  `json:"hi"`
		Confidence float64   `json:"confidence"`
		N          int       `json:"n"`
		Values     []float64 `json:"values"`
	}{finite(s.Median), finite(s.Lo), finite(s.Hi), s.Confidence, s.N, s.Values})
}

// MarshalJSON encodes NaN and infinities, which JSON lacks, as null.
func (c Comparison) MarshalJSON() ([]byte, error) {
	type plain Comparison
	return json.Marshal(struct {
		plain
		Delta   *float64 `json:"delta"`
		DeltaLo *float64 `json:"delta_lo"`
		DeltaHi *float64 `json:"delta_hi"`
	}{plain(c), finite(c.Delta), finite(c.DeltaLo), finite(c.DeltaHi)})
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteText writes a benchstat-style table per unit (base median ± CI,
// head median ± CI, delta with its bounds, Holm-adjusted p, n) and the
// verdict.
func (rep *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "backend: %s", rep.Backend)
	if rep.Describe != "" {
		fmt.Fprintf(&b, " (%s)", rep.Describe)
	}
	gc := "off"
	if rep.GC {
		gc = "on"
	}
	if rep.Backend != "none" {
		fmt.Fprintf(&b, "; GC %s in counted runs", gc)
	}
	fmt.Fprintf(&b, "\nbase: %s\nhead: %s\nrounds: %d, interleaved, a fresh process per run\n", rep.Base, rep.Head, rep.Count)
	for _, unit := range rep.orderedUnits() {
		var cs []Comparison
		for _, c := range rep.Comparisons {
			if c.Unit == unit {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		tidy := unit
		if _, t := benchunit.Tidy(1, unit); t != unit {
			tidy = t
		}
		title := tidy
		if cs[0].Gate {
			title += fmt.Sprintf("  [gate: regression > %s]", pct(rep.Threshold))
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "benchmark\tbase\thead\tdelta\t[bounds]\tp (Holm)\tn\t")
		for _, c := range cs {
			factor, _ := benchunit.Tidy(1, unit)
			sc := benchunit.CommonScale([]float64{c.Base.Median * factor, c.Head.Median * factor}, benchunit.ClassOf(tidy))
			delta, bounds := "~", ""
			if c.Significant {
				delta = signedPct(c.Delta)
				if !math.IsNaN(c.DeltaLo) && !math.IsNaN(c.DeltaHi) {
					bounds = fmt.Sprintf("[%s, %s]", signedPct(c.DeltaLo), signedPct(c.DeltaHi))
				}
			}
			mark := ""
			switch {
			case c.Regression:
				mark = "REGRESSION"
			case c.Significant && c.Improvement:
				mark = "better"
			case c.Significant:
				mark = "worse"
			}
			fmt.Fprintf(tw, "%s\t%s ± %s\t%s ± %s\t%s\t%s\tp=%.3f\t%d+%d\t%s\n",
				displayName(c), sc.Format(c.Base.Median*factor), c.Base.math.PctRangeString(),
				sc.Format(c.Head.Median*factor), c.Head.math.PctRangeString(),
				delta, bounds, c.PAdjusted, c.Base.N, c.Head.N, mark)
		}
		tw.Flush()
		seen := map[string]bool{}
		for _, c := range cs {
			for _, wmsg := range c.Warnings {
				if !seen[wmsg] {
					seen[wmsg] = true
					fmt.Fprintf(&b, "  note: %s\n", wmsg)
				}
			}
		}
	}
	if len(rep.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range rep.Notes {
			fmt.Fprintf(&b, "note: %s\n", n)
		}
	}
	b.WriteString("\n")
	if rep.Regressions == 0 {
		fmt.Fprintf(&b, "ok: no significant regression beyond %s in %s (backend %s)\n", pct(rep.Threshold), rep.GateUnit, rep.Backend)
	} else {
		for _, c := range rep.Comparisons {
			if c.Regression {
				bound := c.DeltaLo
				if !LowerIsBetter(c.Unit) {
					bound = c.DeltaHi
				}
				fmt.Fprintf(&b, "REGRESSION: %s %s %s (the confidence bound %s is beyond the threshold %s; p=%.4f after Holm-Bonferroni; backend %s)\n",
					displayName(c), c.Unit, signedPct(c.Delta), signedPct(bound), pct(rep.Threshold), c.PAdjusted, rep.Backend)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// orderedUnits puts the gated unit first.
func (rep *Report) orderedUnits() []string {
	out := []string{rep.GateUnit}
	for _, u := range rep.units {
		if u != rep.GateUnit {
			out = append(out, u)
		}
	}
	return out
}

func displayName(c Comparison) string {
	return c.Package + "." + "Benchmark" + c.Name
}

func pct(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", 100*f), "0"), ".") + "%"
}

func signedPct(f float64) string {
	if math.IsNaN(f) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", 100*f)
}
