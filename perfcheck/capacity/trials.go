package capacity

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/perf/benchmath"
)

// Outcome is a verdict's result.
type Outcome string

// The outcomes; the command exits 0, 1 and 3 for them.
const (
	OutcomePass         Outcome = "PASS"
	OutcomeFail         Outcome = "FAIL"
	OutcomeInconclusive Outcome = "INCONCLUSIVE"
)

// Thresholds from which the machine counts as noisy during the trials
// (means over every measured window).
const (
	// NoisyOtherCPU: other processes used at least a quarter of a CPU.
	NoisyOtherCPU = 0.25
	// NoisySteal: the hypervisor took at least 5% of a CPU.
	NoisySteal = 0.05
	// NoisyWait: the service waited for a CPU at least 10% of the time.
	NoisyWait = 0.10
	// NoisyMHz: the CPUs' clock moved by at least 5% (where visible).
	NoisyMHz = 0.05
)

// A Trial is one measurement of both sides' capacities, back to back.
type Trial struct {
	// Base and Head are the capacities found; Change is head/base - 1
	// (0 when base found none, then Valid is false).
	Base   float64 `json:"base"`
	Head   float64 `json:"head"`
	Change float64 `json:"change"`
	Valid  bool    `json:"valid"`
	// First is the side measured first ("base", "head", or
	// "interleaved" for the first trial, whose steps alternate).
	First string `json:"first"`
	// Noise is the machine's noise over the trial's windows.
	Noise Noise `json:"noise"`
	// Elapsed is the trial's wall time.
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Noise is what else the machine did while windows were measured: means
// over the windows.
type Noise struct {
	// OtherCPU is other processes' CPU use, in CPUs (-1: unknown).
	OtherCPU float64 `json:"other_cpu"`
	// Steal is the hypervisor's steal time, in CPUs (-1: unknown).
	Steal float64 `json:"steal"`
	// Wait is the service's run-queue wait, in CPUs.
	Wait float64 `json:"wait"`
	// MHzSpread is (highest - lowest clock) / highest over the CPUs and
	// windows; -1 where the clock is not visible.
	MHzSpread float64 `json:"mhz_spread"`
	// Windows is the number of windows measured.
	Windows int `json:"windows"`
}

// noiseOf summarizes the steps' noise.
func noiseOf(steps []Step) Noise {
	n := Noise{OtherCPU: -1, Steal: -1, MHzSpread: -1, Windows: len(steps)}
	var other, steal, wait float64
	var known int
	lo, hi := math.Inf(1), 0.0
	for _, s := range steps {
		wait += s.CPUWait
		if s.OtherCPU >= 0 {
			other += s.OtherCPU
			steal += s.Steal
			known++
		}
		if s.MHzHi > 0 {
			lo, hi = math.Min(lo, s.MHzLo), math.Max(hi, s.MHzHi)
		}
	}
	if len(steps) > 0 {
		n.Wait = wait / float64(len(steps))
	}
	if known > 0 {
		n.OtherCPU, n.Steal = other/float64(known), steal/float64(known)
	}
	if hi > 0 {
		n.MHzSpread = (hi - lo) / hi
	}
	return n
}

// noisy says why the machine counts as noisy ("" when it does not).
func (n Noise) noisy() string {
	var why []string
	if n.OtherCPU >= NoisyOtherCPU {
		why = append(why, fmt.Sprintf("other processes used %.2f CPU", n.OtherCPU))
	}
	if n.Steal >= NoisySteal {
		why = append(why, fmt.Sprintf("the hypervisor stole %.2f CPU", n.Steal))
	}
	if n.Wait >= NoisyWait {
		why = append(why, fmt.Sprintf("the service waited %.2f CPU for a CPU others held", n.Wait))
	}
	if n.MHzSpread >= NoisyMHz {
		why = append(why, fmt.Sprintf("the CPU clock moved by %.0f%%", 100*n.MHzSpread))
	}
	return strings.Join(why, ", ")
}

// An Interval is a confidence interval around a median.
type Interval struct {
	Center float64 `json:"center"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	// Confidence is the interval's actual confidence level (>= the one
	// asked for).
	Confidence float64 `json:"confidence"`
}

// medianInterval is benchmath's median with its order-statistic
// confidence interval (the same as benchstat); nil when the sample is too
// small for an interval at this confidence.
func medianInterval(values []float64, confidence float64) (*Interval, string) {
	th := benchmath.DefaultThresholds
	s := benchmath.AssumeNothing.Summary(benchmath.NewSample(slices.Clone(values), &th), confidence)
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) || math.IsNaN(s.Lo) || math.IsNaN(s.Hi) {
		why := fmt.Sprintf("%d trials are too few for a %.0f%% interval", len(values), 100*confidence)
		if len(s.Warnings) > 0 {
			why = s.Warnings[0].Error()
		}
		return nil, why
	}
	return &Interval{Center: s.Center, Lo: s.Lo, Hi: s.Hi, Confidence: s.Confidence}, ""
}

// DecideTrials turns repeated trials into a verdict. The change is
// judged on the paired changes head_i/base_i - 1 (each pair measured
// back to back, so slow drift hits both halves): the median with its
// confidence interval.
//
//   - PASS when the whole interval is at or above the target.
//   - FAIL when the whole interval is below the target, and either the
//     machine was quiet or head was slower than base in every pair
//     (the interval is below zero too): a neighbour squeezes both sides
//     towards the same capacity and widens the interval, it does not
//     make head lose in pair after interleaved pair.
//   - INCONCLUSIVE otherwise: the interval straddles the target, there
//     are too few valid trials, or the machine was noisy and the
//     shortfall is one a neighbour can cause.
func DecideTrials(trials []Trial, target, confidence float64) Verdict {
	v := Verdict{Target: target, Confidence: confidence, Trials: len(trials)}
	var changes []float64
	var steps Noise
	var all []Noise
	for _, t := range trials {
		all = append(all, t.Noise)
		if t.Valid {
			changes = append(changes, t.Change)
		}
	}
	steps = mergeNoise(all)
	v.Noise = &steps
	v.NoiseWhy = steps.noisy()
	if len(changes) == 0 {
		v.Outcome = OutcomeInconclusive
		v.Reason = "no trial measured a base capacity"
		v.Advice = "lower -start-rate, or check that base serves the requests"
		v.Summary = "no valid trial"
		return v
	}
	iv, why := medianInterval(changes, confidence)
	v.Change = median(changes)
	if iv == nil {
		v.Outcome = OutcomeInconclusive
		v.Reason = fmt.Sprintf("%d valid trials: %s", len(changes), why)
		v.Advice = "raise -trials (6 or more for 95%)"
		v.Summary = fmt.Sprintf("capacity change %+.1f%% (median of %d trials, no interval): target %+.1f%%", 100*v.Change, len(changes), 100*target)
		return v
	}
	v.Interval = iv
	v.Change = iv.Center
	span := fmt.Sprintf("capacity change %+.1f%% [%+.1f%%, %+.1f%%] (median of %d trials, %.0f%% confidence): target %+.1f%%",
		100*iv.Center, 100*iv.Lo, 100*iv.Hi, len(changes), 100*iv.Confidence, 100*target)
	switch {
	case iv.Lo >= target-1e-12:
		v.Outcome = OutcomePass
		v.Summary = span + " met"
	case iv.Hi < target-1e-12 && (v.NoiseWhy == "" || iv.Hi < math.Min(target, 0)):
		v.Outcome = OutcomeFail
		v.Summary = span + " missed"
		if v.NoiseWhy != "" {
			v.Reason = "the machine was noisy (" + v.NoiseWhy + "), but head was slower than base in every trial pair: noise does not do that"
		}
	case iv.Hi < target-1e-12:
		v.Outcome = OutcomeInconclusive
		v.Summary = span + " missed, on a noisy machine"
		v.Reason = "the machine was noisy (" + v.NoiseWhy + "): a neighbour squeezes both sides towards the same capacity, so a shortfall against the target is not evidence; only head losing in every pair would be"
		v.Advice = "rerun when the machine is quiet (a dedicated CI runner), or with more -trials"
	default:
		v.Outcome = OutcomeInconclusive
		v.Summary = span + ": the interval straddles the target"
		v.Reason = fmt.Sprintf("the %.0f%% interval [%+.1f%%, %+.1f%%] contains the target %+.1f%%", 100*iv.Confidence, 100*iv.Lo, 100*iv.Hi, 100*target)
		v.Advice = "raise -trials or -duration to narrow the interval"
		if v.NoiseWhy != "" {
			v.Advice += "; the machine was noisy (" + v.NoiseWhy + "): a quiet machine narrows it most"
		}
	}
	v.Pass = v.Outcome == OutcomePass
	return v
}

func mergeNoise(ns []Noise) Noise {
	out := Noise{OtherCPU: -1, Steal: -1, MHzSpread: -1}
	var other, steal, wait float64
	var known, windows int
	for _, n := range ns {
		windows += n.Windows
		wait += n.Wait * float64(n.Windows)
		if n.OtherCPU >= 0 {
			other += n.OtherCPU * float64(n.Windows)
			steal += n.Steal * float64(n.Windows)
			known += n.Windows
		}
		out.MHzSpread = math.Max(out.MHzSpread, n.MHzSpread)
	}
	out.Windows = windows
	if windows > 0 {
		out.Wait = wait / float64(windows)
	}
	if known > 0 {
		out.OtherCPU, out.Steal = other/float64(known), steal/float64(known)
	}
	return out
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// runTrials runs trials 2..n after the first, full search: each a short
// rate search per side starting below the side's median capacity so far,
// with the two sides' steps alternating as in the first, and the side
// that steps first alternating from trial to trial, so that neither
// drift in the machine's speed nor going first favours a side.
func runTrials(ctx context.Context, cfg Config, runners []*runner, sides []*Side, first Trial) ([]Trial, error) {
	trials := []Trial{first}
	caps := [2][]float64{{first.Base}, {first.Head}}
	for i := 1; i < cfg.Trials; i++ {
		start := time.Now()
		var scs [2]SearchConfig
		for s := range scs {
			sc := cfg.Search
			sc.Start = math.Max(sc.Min, 0.85*median(caps[s]))
			if sc.Start > sc.Max {
				sc.Start = sc.Max
			}
			sc.Factor = 1.2
			sc.MaxSteps = 10
			scs[s] = sc
		}
		lead := i % 2
		got, err := interleave(ctx, cfg, runners, sides, scs, lead, fmt.Sprintf("trial %d/%d ", i+1, cfg.Trials))
		if err != nil {
			return nil, fmt.Errorf("trial %d: %w", i+1, err)
		}
		caps[0] = append(caps[0], got[0].Capacity)
		caps[1] = append(caps[1], got[1].Capacity)
		t := newTrial(got[0], got[1], sides[lead].Label, append(slices.Clone(got[0].Steps), got[1].Steps...))
		t.Elapsed = time.Since(start)
		trials = append(trials, t)
	}
	return trials, nil
}

func newTrial(base, head Search, first string, steps []Step) Trial {
	t := Trial{Base: base.Capacity, Head: head.Capacity, First: first, Noise: noiseOf(steps)}
	if base.Capacity > 0 {
		t.Change, t.Valid = head.Capacity/base.Capacity-1, true
	}
	return t
}
