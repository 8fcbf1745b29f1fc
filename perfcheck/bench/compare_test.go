package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var gate = Thresholds{Alpha: 0.05, Confidence: 0.95, Threshold: 0.01, Gate: true}

// spread returns n values around center, deterministic, within ±width.
func spread(n int, center, width float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = center + width*(float64(i)/float64(max(n-1, 1))*2-1)
	}
	return out
}

func TestIdenticalSamplesShowNoChange(t *testing.T) {
	s := spread(10, 1000, 5)
	c := Compare("instructions/op", []Row{{"p", "A", s, s}}, gate)[0]
	assert.False(t, c.Significant)
	assert.False(t, c.Regression)
	assert.Equal(t, 0.0, c.Delta)
	assert.InDelta(t, 1, c.P, 1e-9)

	same := []float64{7, 7, 7, 7, 7, 7, 7, 7, 7, 7}
	c = Compare("allocs/op", []Row{{"p", "A", same, same}}, gate)[0]
	assert.False(t, c.Significant)
	assert.Contains(t, c.Warnings, "all samples are equal")
}

func TestShiftedSamplesAreSignificantAtTen(t *testing.T) {
	base := spread(10, 1000, 2)
	head := spread(10, 1050, 2) // +5%
	c := Compare("instructions/op", []Row{{"p", "A", base, head}}, gate)[0]
	assert.True(t, c.Significant)
	assert.Less(t, c.P, 0.001)
	assert.True(t, c.Regression, "the whole interval is beyond 1%%")
	assert.InDelta(t, 0.05, c.Delta, 1e-9)
	assert.Greater(t, c.DeltaLo, 0.04)
	assert.Less(t, c.DeltaHi, 0.06)
	assert.False(t, c.Improvement)

	// The same shift the other way is an improvement, never a regression.
	c = Compare("instructions/op", []Row{{"p", "A", head, base}}, gate)[0]
	assert.True(t, c.Significant)
	assert.True(t, c.Improvement)
	assert.False(t, c.Regression)
}

func TestThreeRunsAreNeverSignificant(t *testing.T) {
	base := []float64{100, 101, 102}
	head := []float64{200, 201, 202}
	c := Compare("instructions/op", []Row{{"p", "A", base, head}}, gate)[0]
	assert.False(t, c.Significant, "the smallest U-test p-value with 3+3 samples is 0.1")
	assert.InDelta(t, 0.1, c.P, 1e-9)
	assert.False(t, c.Regression)
	assert.True(t, math.IsInf(c.Base.Lo, -1), "no confidence interval below 6 samples")
	assert.NotEmpty(t, c.Warnings)
}

func TestGateUsesTheConfidenceBound(t *testing.T) {
	// Medians differ by 1.5%, but the intervals allow as little as
	// about 0.5%: significant, yet not a regression beyond 1%.
	base := spread(10, 1000, 5)
	head := spread(10, 1015, 5)
	c := Compare("instructions/op", []Row{{"p", "A", base, head}}, gate)[0]
	require.True(t, c.Significant)
	assert.Greater(t, c.Delta, 0.01, "the point estimate is beyond the threshold")
	assert.Less(t, c.DeltaLo, 0.01)
	assert.False(t, c.Regression)

	// Ungated units never regress.
	ungated := gate
	ungated.Gate = false
	c = Compare("ns/op", []Row{{"p", "A", spread(10, 100, 1), spread(10, 200, 1)}}, ungated)[0]
	assert.True(t, c.Significant)
	assert.False(t, c.Regression)
}

func TestHigherIsBetterUnits(t *testing.T) {
	c := Compare("MB/s", []Row{{"p", "A", spread(10, 100, 1), spread(10, 80, 1)}}, gate)[0]
	assert.True(t, c.Regression, "throughput fell 20%%")
	c = Compare("MB/s", []Row{{"p", "A", spread(10, 80, 1), spread(10, 100, 1)}}, gate)[0]
	assert.True(t, c.Improvement)
	assert.False(t, c.Regression)
}

func TestHolmCorrectionAcrossBenchmarks(t *testing.T) {
	assert.Equal(t, []float64{0.03, 0.04, 0.04}, round(Holm([]float64{0.01, 0.04, 0.02})))
	assert.Equal(t, []float64{1, 1}, Holm([]float64{0.6, 0.9}))
	assert.Empty(t, Holm(nil))

	// n=5 per side: the smallest p-value is about 0.008. Alone it is
	// significant; among 10 benchmarks Holm multiplies it by 10.
	base, head := spread(5, 100, 1), spread(5, 110, 1)
	alone := Compare("instructions/op", []Row{{"p", "A", base, head}}, gate)[0]
	assert.True(t, alone.Significant)
	rows := []Row{{"p", "A", base, head}}
	for i := 0; i < 9; i++ {
		rows = append(rows, Row{"p", "B", spread(5, 100, 1), spread(5, 100, 1)})
	}
	many := Compare("instructions/op", rows, gate)
	assert.Equal(t, alone.P, many[0].P)
	assert.InDelta(t, 10*alone.P, many[0].PAdjusted, 1e-12)
	assert.False(t, many[0].Significant)
}

func round(p []float64) []float64 {
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = math.Round(v*1e9) / 1e9
	}
	return out
}
