package capacity

import (
	"fmt"
	"math"
)

// Bound names what limits a service's capacity.
type Bound string

// The binding constraints.
const (
	BoundMemory  Bound = "memory/GC" // RSS at the budget, or the GC taking a large share of the CPU
	BoundCPU     Bound = "CPU"       // the process used (nearly) all its CPUs
	BoundLatency Bound = "latency"   // the SLO failed with CPU to spare: locks, I/O, queueing
	BoundNone    Bound = "none"      // every rate up to the maximum passed
)

// Thresholds of the attribution.
const (
	// GCShareBound is the GC CPU share from which the GC, not the
	// application's own work, is what binds: at 20% the collector takes
	// a fifth of every CPU second.
	GCShareBound = 0.20
	// CPUBusyBound is the fraction of the CPU budget from which the
	// process counts as CPU-saturated (10ms /proc resolution and
	// scheduler noise keep it below 1).
	CPUBusyBound = 0.90
)

// A Constraint is the binding constraint of one side, with the sentence
// that explains it with the numbers.
type Constraint struct {
	Bound Bound  `json:"bound"`
	Why   string `json:"why"`
}

// Attribute names what binds a side at its capacity, from the step at
// capacity and the confirmed failure above it: memory first (RSS over
// the budget, or GC share >= GCShareBound), then CPU (>= CPUBusyBound of
// the budget), otherwise latency.
func Attribute(s Search, c Criteria, cpus int) Constraint {
	if s.Capped || s.FirstFail == nil {
		rate := s.Capacity
		return Constraint{BoundNone, fmt.Sprintf("every rate up to %.0f req/s passed: the capacity is at least that (raise -max-rate)", rate)}
	}
	f := *s.FirstFail
	steps := []Step{f}
	if s.AtCapacity != nil {
		steps = append(steps, *s.AtCapacity)
	}
	var gc, cpu float64
	var gcAt, cpuAt Step
	for _, st := range steps {
		if st.GCShare >= gc {
			gc, gcAt = st.GCShare, st
		}
		if d := st.CPU + st.CPUWait; d >= cpu {
			cpu, cpuAt = d, st
		}
	}
	failed := fmt.Sprintf("%.0f req/s failed (%s)", f.Rate, f.Why)
	switch {
	case f.Fail == FailMemory:
		return Constraint{BoundMemory, fmt.Sprintf("%s: memory binds (GC %.0f%% of CPU, %s)", failed, 100*f.GCShare, allocNote(f))}
	case gc >= GCShareBound:
		return Constraint{BoundMemory, fmt.Sprintf("%s; at %.0f req/s the GC took %.0f%% of the process's CPU (%d cycles in %s, %s, peak RSS %s, CPU %.2f of %d)",
			failed, gcAt.Rate, 100*gc, gcAt.GCCycles, "the window", allocNote(gcAt), FormatBytes(gcAt.PeakRSS), gcAt.CPU, cpus)}
	case cpu >= CPUBusyBound*float64(cpus):
		return Constraint{BoundCPU, fmt.Sprintf("%s; at %.0f req/s the process used %.2f of its %d CPU%s (GC %.0f%%, %s of CPU per request)",
			failed, cpuAt.Rate, cpuAt.CPU, cpus, waitNote(cpuAt), 100*cpuAt.GCShare, FormatDuration(cpuAt.CPUPerRequest))}
	}
	return Constraint{BoundLatency, fmt.Sprintf("%s with CPU to spare (%.2f of %d CPU used%s, GC %.0f%%): waiting binds (locks, I/O, sleeps, the load generator), not CPU or memory",
		failed, cpuAt.CPU, cpus, waitNote(cpuAt), 100*gc)}
}

// waitNote mentions run-queue wait when other processes took a notable
// share of the CPU the service wanted: on a shared machine the service
// is then CPU-bound although its own CPU use stays below the budget.
func waitNote(s Step) string {
	if s.CPUWait < 0.05 {
		return ""
	}
	return fmt.Sprintf(" and waited %.2f for it while other processes ran", s.CPUWait)
}

func allocNote(s Step) string {
	if s.AllocPerRequest <= 0 {
		return "allocation per request unknown"
	}
	return fmt.Sprintf("~%s allocated per request", FormatBytes(int64(s.AllocPerRequest)))
}

// A Verdict compares the capacities of base and head against the target.
type Verdict struct {
	// Change is head/base - 1; Target the required change.
	Change float64 `json:"change"`
	Target float64 `json:"target"`
	// Outcome is PASS, FAIL or INCONCLUSIVE; Pass is Outcome == PASS.
	Outcome Outcome `json:"outcome"`
	Pass    bool    `json:"pass"`
	// Interval is the confidence interval of the median change over the
	// trials (nil for a single trial, or too few to have one);
	// Confidence the level asked for; Trials the number run.
	Interval   *Interval `json:"interval,omitempty"`
	Confidence float64   `json:"confidence,omitempty"`
	Trials     int       `json:"trials"`
	// Noise is the machine's noise over every window; NoiseWhy says
	// what made it noisy ("" when quiet).
	Noise    *Noise `json:"noise,omitempty"`
	NoiseWhy string `json:"noise_why,omitempty"`
	// Reason explains an INCONCLUSIVE verdict (or a FAIL on a noisy
	// machine); Advice says what to do about it.
	Reason string `json:"reason,omitempty"`
	Advice string `json:"advice,omitempty"`
	// Story is set when the work per request fell but capacity did not
	// rise by the target: it says what binds instead.
	Story string `json:"story,omitempty"`
	// Summary is the one-line verdict.
	Summary string `json:"summary"`
}

// Decide computes the verdict. baseWork and headWork (nil when not
// measured) are the work per request of one backend; headBound is what
// binds the head side.
func Decide(base, head Search, target float64, baseWork, headWork *Work, headBound Constraint) (Verdict, error) {
	if base.Capacity <= 0 {
		return Verdict{}, fmt.Errorf("base sustained no rate at all (lowest rate tried %s): nothing to compare with", lowest(base))
	}
	if base.Capped {
		return Verdict{}, fmt.Errorf("base passed every rate up to %.0f req/s: its capacity is unknown, raise -max-rate", base.Capacity)
	}
	v := Verdict{Change: head.Capacity/base.Capacity - 1, Target: target, Trials: 1}
	v.Pass = v.Change >= target-1e-12
	v.Outcome = OutcomeFail
	if v.Pass {
		v.Outcome = OutcomePass
	}
	word := "met"
	if !v.Pass {
		word = "missed"
	}
	bound := ""
	if head.Capped {
		bound = " (head capped: at least)"
	}
	v.Summary = fmt.Sprintf("capacity %.0f -> %.0f req/s (%+.1f%%%s): target %+.1f%% %s", base.Capacity, head.Capacity, 100*v.Change, bound, 100*target, word)
	if baseWork != nil && headWork != nil && baseWork.Backend == headWork.Backend && baseWork.PerRequest > 0 {
		wc := headWork.PerRequest/baseWork.PerRequest - 1
		if wc < 0 && !v.Pass {
			what := "instructions/request"
			if headWork.Unit != "instructions" {
				what = "CPU time/request"
			}
			v.Story = fmt.Sprintf("%s fell %.1f%% but capacity changed %+.1f%%: bound by %s (%s)", what, -100*wc, 100*v.Change, headBound.Bound, headBound.Why)
		}
	}
	return v, nil
}

func lowest(s Search) string {
	lo := math.Inf(1)
	for _, st := range s.Steps {
		lo = math.Min(lo, st.Rate)
	}
	if math.IsInf(lo, 1) {
		return "none"
	}
	return fmt.Sprintf("%.0f req/s", lo)
}
