package bench

import (
	"math"
	"sort"
	"strings"

	"golang.org/x/perf/benchmath"
)

// Summary is the median of one side's samples and its confidence
// interval.
type Summary struct {
	Median float64 `json:"median"`
	// Lo and Hi bound the confidence interval of the median; they are
	// infinite when there are too few samples (fewer than 6 at 95%).
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Confidence is the interval's actual confidence level (order
	// statistics give at least the requested level).
	Confidence float64 `json:"confidence"`
	// N is the number of samples.
	N int `json:"n"`
	// Values are the samples, ascending.
	Values []float64 `json:"values"`

	math benchmath.Summary
}

// Comparison is the verdict for one benchmark in one unit.
type Comparison struct {
	// Package and Name identify the benchmark (Name without the
	// "Benchmark" prefix and the GOMAXPROCS suffix).
	Package string `json:"package"`
	Name    string `json:"name"`
	// Unit is the benchmark unit compared, e.g. instructions/op.
	Unit string `json:"unit"`
	// Base and Head summarize each side's samples.
	Base Summary `json:"base"`
	Head Summary `json:"head"`
	// Delta is head/base - 1 of the medians (NaN when base is 0).
	Delta float64 `json:"delta"`
	// DeltaLo and DeltaHi bound Delta using both confidence intervals:
	// the smallest and largest change the data allow.
	DeltaLo float64 `json:"delta_lo"`
	DeltaHi float64 `json:"delta_hi"`
	// P is the two-sided Mann-Whitney U test's p-value; PAdjusted is
	// P after the Holm-Bonferroni correction across the benchmarks of
	// this unit.
	P         float64 `json:"p"`
	PAdjusted float64 `json:"p_adjusted"`
	// Significant is PAdjusted < alpha.
	Significant bool `json:"significant"`
	// Gate is true for the unit the verdict depends on.
	Gate bool `json:"gate"`
	// Regression is set when a gated unit got significantly worse and
	// even the confidence bound nearest to "no change" is beyond the
	// threshold.
	Regression bool `json:"regression"`
	// Improvement is set when the unit got significantly better.
	Improvement bool `json:"improvement"`
	// Warnings are benchmath's caveats (too few samples, ties).
	Warnings []string `json:"warnings,omitempty"`

	cmp benchmath.Comparison
}

// Row is the samples of one benchmark in one unit, for Compare.
type Row struct {
	// Package and Name identify the benchmark.
	Package, Name string
	// Base and Head are the samples, one per round.
	Base, Head []float64
}

// Thresholds configure Compare.
type Thresholds struct {
	// Alpha is the significance level (0.05).
	Alpha float64
	// Confidence is the level of the medians' intervals (0.95).
	Confidence float64
	// Threshold is the relative change a regression must exceed, e.g.
	// 0.01 for 1%.
	Threshold float64
	// Gate marks the comparisons as the ones the verdict depends on.
	Gate bool
}

// LowerIsBetter reports whether smaller values of unit are better: true
// for costs (ns/op, instructions/op, B/op), false for rates (MB/s).
func LowerIsBetter(unit string) bool {
	return !strings.HasSuffix(unit, "/s")
}

// Compare compares base and head for each row of one unit: medians with
// order-statistic confidence intervals and a Mann-Whitney U test, as
// benchstat does, then a Holm-Bonferroni correction across the rows,
// then the gate on the confidence bound rather than the point estimate.
func Compare(unit string, rows []Row, th Thresholds) []Comparison {
	mth := benchmath.DefaultThresholds
	mth.CompareAlpha = th.Alpha
	out := make([]Comparison, len(rows))
	for i, row := range rows {
		base := benchmath.NewSample(append([]float64(nil), row.Base...), &mth)
		head := benchmath.NewSample(append([]float64(nil), row.Head...), &mth)
		c := Comparison{Package: row.Package, Name: row.Name, Unit: unit, Gate: th.Gate}
		c.Base = summarize(base, th.Confidence)
		c.Head = summarize(head, th.Confidence)
		c.cmp = benchmath.AssumeNothing.Compare(base, head)
		c.P = c.cmp.P
		for _, w := range append(append(c.Base.math.Warnings, c.Head.math.Warnings...), c.cmp.Warnings...) {
			c.Warnings = append(c.Warnings, w.Error())
		}
		c.Delta = ratio(c.Head.Median, c.Base.Median) - 1
		// The smallest and largest change compatible with both
		// intervals.
		c.DeltaLo = ratio(c.Head.Lo, c.Base.Hi) - 1
		c.DeltaHi = ratio(c.Head.Hi, c.Base.Lo) - 1
		out[i] = c
	}
	adjusted := Holm(pvalues(out))
	for i := range out {
		c := &out[i]
		c.PAdjusted = adjusted[i]
		c.Significant = c.PAdjusted < th.Alpha && c.Base.Median != c.Head.Median
		if !c.Significant {
			continue
		}
		worse := c.Delta > 0
		if !LowerIsBetter(unit) {
			worse = c.Delta < 0
		}
		c.Improvement = !worse
		if !worse || !th.Gate {
			continue
		}
		if LowerIsBetter(unit) {
			c.Regression = c.DeltaLo > th.Threshold
		} else {
			c.Regression = c.DeltaHi < -th.Threshold
		}
	}
	return out
}

func summarize(s *benchmath.Sample, confidence float64) Summary {
	m := benchmath.AssumeNothing.Summary(s, confidence)
	return Summary{Median: m.Center, Lo: m.Lo, Hi: m.Hi, Confidence: m.Confidence, N: len(s.Values), Values: s.Values, math: m}
}

// ratio is a/b for positive quantities, NaN when it has no meaning.
func ratio(a, b float64) float64 {
	if b == 0 || math.IsInf(b, 0) || math.IsNaN(a) || math.IsNaN(b) {
		if a == b && a == 0 {
			return 1
		}
		return math.NaN()
	}
	return a / b
}

func pvalues(cs []Comparison) []float64 {
	p := make([]float64, len(cs))
	for i, c := range cs {
		p[i] = c.P
	}
	return p
}

// Holm returns Holm-Bonferroni adjusted p-values: with the m p-values
// sorted ascending, the i-th (from 0) is multiplied by m-i, and the
// adjusted values are made monotone. Rejecting where the adjusted value
// is below alpha controls the family-wise error rate at alpha.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*p[i])
		running = math.Max(running, v)
		adj[i] = running
	}
	return adj
}
