package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// A Step is one probe of a service at a fixed offered (open-loop) rate,
// measured over the window after its warm-up.
type Step struct {
	// Rate is the offered rate in requests per second.
	Rate float64 `json:"rate"`
	// Achieved is the rate at which successful responses completed:
	// their count over the span from the first completion to the last.
	Achieved float64 `json:"achieved"`
	// Requests and Errors count the requests sent in the window and those
	// that failed (transport error, timeout or status >= 400).
	Requests int `json:"requests"`
	Errors   int `json:"errors"`
	// ErrorSample is the first error seen, to say what failed.
	ErrorSample string `json:"error_sample,omitempty"`
	// Latency percentiles, measured from the intended send time.
	P50 time.Duration `json:"p50_ns"`
	P90 time.Duration `json:"p90_ns"`
	P99 time.Duration `json:"p99_ns"`
	Max time.Duration `json:"max_ns"`
	// CPU is the process's CPU time over the window divided by the
	// window's length: 1.0 is one core fully busy.
	CPU float64 `json:"cpu"`
	// CPUWait is the time the process's threads were runnable but
	// waiting for a CPU (other processes had it), divided by the
	// window's length: CPU + CPUWait is its demand for CPU.
	CPUWait float64 `json:"cpu_wait"`
	// OtherCPU is the CPU other processes used during the window (the
	// machine's busy time minus the service's and the load generator's),
	// in CPUs; Steal the hypervisor's steal time, in CPUs. Both are -1
	// when /proc/stat could not be read.
	OtherCPU float64 `json:"other_cpu"`
	Steal    float64 `json:"steal"`
	// MHzLo and MHzHi span the CPUs' clock frequency over the window
	// (0 where the kernel does not show it).
	MHzLo float64 `json:"mhz_lo,omitempty"`
	MHzHi float64 `json:"mhz_hi,omitempty"`
	// CPUPerRequest is the process's CPU time over the window divided by
	// the requests sent in it (time, not instructions).
	CPUPerRequest time.Duration `json:"cpu_per_request_ns"`
	// GCShare is the garbage collector's CPU time over the window
	// (gctrace) divided by the process's CPU time; GCCycles counts the
	// cycles that ended in the window.
	GCShare  float64 `json:"gc_share"`
	GCCycles int     `json:"gc_cycles"`
	// AllocPerRequest is the heap allocated per request in bytes,
	// estimated from gctrace heap sizes (0 when too few cycles ran).
	AllocPerRequest float64 `json:"alloc_per_request,omitempty"`
	// PeakRSS is the highest resident set size of the process during
	// the window, in bytes.
	PeakRSS int64 `json:"peak_rss"`
	// Pass says whether the step met every criterion; Fail names the
	// first criterion it missed and Why explains it with the numbers.
	Pass bool    `json:"pass"`
	Fail Failure `json:"fail,omitempty"`
	Why  string  `json:"why,omitempty"`
	// Retry is true for a repeated probe of a rate that failed once.
	Retry bool `json:"retry,omitempty"`
}

// ErrorRate is the fraction of the window's requests that failed.
func (s Step) ErrorRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Errors) / float64(s.Requests)
}

// A Failure names the criterion a step missed.
type Failure string

// The criteria a step can miss, in the order they are checked.
const (
	FailMemory     Failure = "memory"     // peak RSS over the budget
	FailErrors     Failure = "errors"     // error rate over the limit
	FailLatency    Failure = "latency"    // p99 over the SLO
	FailThroughput Failure = "throughput" // achieved below 99% of offered
)

// Criteria decide whether a step is sustainable.
type Criteria struct {
	// SLO is the highest acceptable p99 latency.
	SLO time.Duration
	// MaxErrorRate is the highest acceptable fraction of failed requests.
	MaxErrorRate float64
	// MinAchieved is the lowest acceptable achieved/offered ratio.
	MinAchieved float64
	// MemBudget is the highest acceptable peak RSS in bytes (0: none).
	MemBudget int64
}

// DefaultCriteria are the pass criteria of a step: achieved >= 0.99 x
// offered, p99 <= 100ms, errors <= 0.1%, and RSS within 256 MiB.
func DefaultCriteria() Criteria {
	return Criteria{SLO: 100 * time.Millisecond, MaxErrorRate: 0.001, MinAchieved: 0.99, MemBudget: 256 << 20}
}

// Judge sets s.Pass, s.Fail and s.Why from the criteria. Memory is
// checked first because a process over its memory budget is failing
// whatever its latency says.
func (c Criteria) Judge(s *Step) {
	s.Pass, s.Fail, s.Why = true, "", ""
	switch {
	case c.MemBudget > 0 && s.PeakRSS > c.MemBudget:
		s.Fail = FailMemory
		s.Why = fmt.Sprintf("peak RSS %s over the %s budget", FormatBytes(s.PeakRSS), FormatBytes(c.MemBudget))
	case s.ErrorRate() > c.MaxErrorRate:
		s.Fail = FailErrors
		s.Why = fmt.Sprintf("%d of %d requests failed (%.2f%% > %.2f%%)", s.Errors, s.Requests, 100*s.ErrorRate(), 100*c.MaxErrorRate)
	case c.SLO > 0 && s.P99 > c.SLO:
		s.Fail = FailLatency
		s.Why = fmt.Sprintf("p99 %s over the SLO %s", FormatDuration(s.P99), FormatDuration(c.SLO))
	case s.Achieved < c.MinAchieved*s.Rate:
		s.Fail = FailThroughput
		s.Why = fmt.Sprintf("achieved %.0f req/s, below %.0f%% of the offered %.0f req/s", s.Achieved, 100*c.MinAchieved, s.Rate)
	}
	s.Pass = s.Fail == ""
}

// A Probe offers load at rate requests per second and measures the
// service. It does not judge the step: Search does.
type Probe func(ctx context.Context, rate float64) (Step, error)

// SearchConfig shapes the rate search.
type SearchConfig struct {
	// Start is the first rate probed; Min and Max bound the search.
	Start, Min, Max float64
	// Factor multiplies the rate while ramping up (and divides it while
	// ramping down from a failing start).
	Factor float64
	// Tolerance ends the bisection when (fail - pass) / pass <= Tolerance.
	Tolerance float64
	// Retries is how many more times a failing rate is probed before
	// the failure counts. A shared machine's noise (another process
	// taking the CPU, a page-cache flush) only ever makes a step fail,
	// never pass, so one pass out of 1+Retries probes is trusted.
	Retries int
	// MaxSteps bounds the number of probes (retries included).
	MaxSteps int
	// Criteria judge each step.
	Criteria Criteria
	// OnStep, when set, is called after every probe (for progress).
	OnStep func(Step)
}

// DefaultSearchConfig returns the defaults: start at 100 req/s, ramp x2
// up to 100,000 req/s, bisect to 5%, one retry, at most 30 probes.
func DefaultSearchConfig() SearchConfig {
	return SearchConfig{Start: 100, Min: 1, Max: 100000, Factor: 2, Tolerance: 0.05, Retries: 1, MaxSteps: 30, Criteria: DefaultCriteria()}
}

// A Search is the outcome of a rate search on one service.
type Search struct {
	// Capacity is the highest rate that passed (0 when none did).
	Capacity float64 `json:"capacity"`
	// AtCapacity is the passing step at Capacity; FirstFail is the
	// confirmed failing step just above it (nil when the search hit Max
	// or MaxSteps before any failure).
	AtCapacity *Step `json:"at_capacity,omitempty"`
	FirstFail  *Step `json:"first_fail,omitempty"`
	// Steps are all probes in the order they ran.
	Steps []Step `json:"steps"`
	// Capped is true when every rate up to Max passed: the capacity is
	// at least Max (raise -max-rate, or the load generator is the limit).
	Capped bool `json:"capped,omitempty"`
	// Exhausted is true when MaxSteps ended the search before the
	// bisection reached Tolerance.
	Exhausted bool `json:"exhausted,omitempty"`
}

// errSteps ends a search that used up its probes.
var errSteps = errors.New("step budget used up")

// RunSearch finds the highest rate at which the probed service passes
// the criteria: it ramps up by Factor until a rate fails, then bisects
// between the last passing and the first failing rate until they are
// within Tolerance. A start rate that fails ramps down instead. Errors
// from the probe (the service crashed) end the search.
func RunSearch(ctx context.Context, probe Probe, cfg SearchConfig) (Search, error) {
	if err := cfg.validate(); err != nil {
		return Search{}, err
	}
	var res Search
	// try probes rate, retrying a failure; it returns the last step
	// (the passing one if any passed).
	try := func(rate float64) (Step, error) {
		var st Step
		for attempt := 0; attempt <= cfg.Retries; attempt++ {
			if cfg.MaxSteps > 0 && len(res.Steps) >= cfg.MaxSteps {
				return st, errSteps
			}
			if err := ctx.Err(); err != nil {
				return st, err
			}
			s, err := probe(ctx, rate)
			if err != nil {
				return st, fmt.Errorf("probing %.0f req/s: %w", rate, err)
			}
			s.Rate = rate
			s.Retry = attempt > 0
			cfg.Criteria.Judge(&s)
			res.Steps = append(res.Steps, s)
			if cfg.OnStep != nil {
				cfg.OnStep(s)
			}
			st = s
			if s.Pass {
				break
			}
		}
		return st, nil
	}
	setPass := func(s Step) { res.Capacity, res.AtCapacity = s.Rate, &s }
	setFail := func(s Step) { res.FirstFail = &s }

	done := func(err error) (Search, error) {
		if errors.Is(err, errSteps) {
			res.Exhausted = true
			return res, nil
		}
		return res, err
	}

	// Ramp.
	rate := math.Min(cfg.Start, cfg.Max)
	st, err := try(rate)
	if err != nil {
		return done(err)
	}
	if st.Pass {
		setPass(st)
		for {
			if rate >= cfg.Max {
				res.Capped = true
				return res, nil
			}
			rate = math.Min(rate*cfg.Factor, cfg.Max)
			st, err := try(rate)
			if err != nil {
				return done(err)
			}
			if !st.Pass {
				setFail(st)
				break
			}
			setPass(st)
		}
	} else {
		setFail(st)
		for {
			rate /= cfg.Factor
			if rate < cfg.Min {
				// Nothing passes: capacity is below Min.
				return res, nil
			}
			st, err := try(rate)
			if err != nil {
				return done(err)
			}
			if st.Pass {
				setPass(st)
				break
			}
			setFail(st)
		}
	}

	// Bisect between the highest pass and the lowest fail.
	for (res.FirstFail.Rate-res.Capacity)/res.Capacity > cfg.Tolerance {
		mid := (res.Capacity + res.FirstFail.Rate) / 2
		st, err := try(mid)
		if err != nil {
			return done(err)
		}
		if st.Pass {
			setPass(st)
		} else {
			setFail(st)
		}
	}
	return res, nil
}

func (c SearchConfig) validate() error {
	switch {
	case c.Start <= 0 || math.IsNaN(c.Start) || math.IsInf(c.Start, 0):
		return fmt.Errorf("start rate must be positive, not %v", c.Start)
	case c.Min <= 0 || c.Min > c.Start:
		return fmt.Errorf("minimum rate must be positive and at most the start rate %v, not %v", c.Start, c.Min)
	case c.Max < c.Start:
		return fmt.Errorf("maximum rate %v is below the start rate %v", c.Max, c.Start)
	case c.Factor <= 1:
		return fmt.Errorf("ramp factor must be above 1, not %v", c.Factor)
	case c.Tolerance <= 0:
		return fmt.Errorf("tolerance must be positive, not %v", c.Tolerance)
	case c.Retries < 0:
		return fmt.Errorf("retries must not be negative, not %d", c.Retries)
	}
	return nil
}
