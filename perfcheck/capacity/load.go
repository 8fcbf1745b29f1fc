package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// Load says how each step offers load.
type Load struct {
	// Paths are the URL paths requested, round robin (GET). With
	// Traffic, the first is only where readiness is checked.
	Paths []string
	// Traffic, when set, replaces Paths as the load: the recorded
	// requests (method, URL, headers, body), round robin, so the mix is
	// the recording's. A 4xx answer is then part of the mix (the
	// recording has them), not an error; 5xx and transport failures are.
	Traffic []traffic.Request
	// Warmup is discarded before each step's measured Window.
	Warmup, Window time.Duration
	// Timeout is the per-request timeout; a request that takes longer
	// counts as an error.
	Timeout time.Duration
	// MaxWorkers caps the concurrent requests in flight. Beyond it the
	// generator cannot keep the offered rate, and the step fails on
	// throughput, as it should: the service is far past capacity. The
	// cap also bounds the memory an overload backlog costs the service,
	// so a memory failure means memory per request, not queue length.
	MaxWorkers uint64
	// Cooldown is the pause after each step.
	Cooldown time.Duration
}

// ServiceProbe returns a Probe that offers open-loop load to svc with
// vegeta and measures the step from the outside: latencies and errors
// from the responses, CPU time and peak RSS from /proc, GC CPU time from
// the service's gctrace output. Latencies are measured from when a
// request was due, so a slow service cannot slow the generator down and
// hide its queueing (coordinated omission).
func (l Load) ServiceProbe(svc *Service) Probe {
	return func(ctx context.Context, rate float64) (Step, error) {
		if done, err := svc.Exited(); done {
			return Step{}, err
		}
		reqs := l.requests()
		targets := make([]vegeta.Target, len(reqs))
		for i, r := range reqs {
			targets[i] = vegeta.Target{Method: r.Method, URL: "http://" + svc.Addr + r.URL, Header: r.Header, Body: r.Body}
		}
		// Our own transport, so that the step's connections can be
		// closed afterwards: idle keep-alive connections left open would
		// cost the service goroutines and memory in the next step.
		tr := &http.Transport{
			MaxIdleConnsPerHost: int(l.MaxWorkers),
			MaxConnsPerHost:     int(l.MaxWorkers),
			DisableCompression:  true,
		}
		defer tr.CloseIdleConnections()
		atk := vegeta.NewAttacker(
			vegeta.Client(&http.Client{Transport: tr, Timeout: l.Timeout,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}),
			vegeta.MaxWorkers(l.MaxWorkers),
			vegeta.MaxBody(0), // responses are drained, not kept
		)
		// Freq per 100s keeps fractional rates (2.5 req/s) exact.
		pacer := vegeta.ConstantPacer{Freq: max(1, int(math.Round(rate*100))), Per: 100 * time.Second}
		begin := time.Now()
		windowStart := begin.Add(l.Warmup)
		results := atk.Attack(vegeta.NewStaticTargeter(targets...), pacer, l.Warmup+l.Window, "")

		w := startWatch(svc.PID, windowStart)
		var m vegeta.Metrics
		var firstErr string
		var done completions
		failed := 0
		stopped := false
		for r := range results {
			if !stopped && ctx.Err() != nil {
				atk.Stop()
				stopped = true
			}
			if r.Timestamp.Before(windowStart) {
				continue
			}
			m.Add(r)
			if !l.failed(r) {
				done.add(r.End())
			} else {
				failed++
				if firstErr == "" {
					firstErr = r.Error
				}
			}
		}
		end := time.Now()
		m.Close()
		tr.CloseIdleConnections()
		if err := ctx.Err(); err != nil {
			w.stop()
			return Step{}, err
		}
		if done, err := svc.Exited(); done {
			w.stop()
			return Step{}, fmt.Errorf("during the step: %w", err)
		}
		mw, err := w.finish(end)
		if err != nil {
			return Step{}, fmt.Errorf("%s service: %w", svc.Label, err)
		}
		gc, err := svc.GCBetween(mw.start, end)
		if err != nil {
			return Step{}, fmt.Errorf("%s service: %w", svc.Label, err)
		}
		s := Step{
			Achieved: done.rate(),
			Requests: int(m.Requests),
			Errors:   failed,
			P50:      m.Latencies.P50,
			P90:      m.Latencies.P90,
			P99:      m.Latencies.P99,
			Max:      m.Latencies.Max,
			PeakRSS:  mw.peak,
			GCCycles: gc.Cycles,
		}
		if firstErr != "" {
			s.ErrorSample = firstErr
		}
		if secs := end.Sub(mw.start).Seconds(); secs > 0 {
			s.CPU = mw.cpu.Seconds() / secs
			s.CPUWait = mw.wait.Seconds() / secs
		}
		s.OtherCPU, s.Steal = -1, -1
		if secs := end.Sub(mw.start).Seconds(); secs > 0 && mw.other >= 0 {
			s.OtherCPU = mw.other.Seconds() / secs
			s.Steal = mw.steal.Seconds() / secs
		}
		s.MHzLo, s.MHzHi = mw.mhzLo, mw.mhzHi
		if mw.cpu > 0 {
			s.GCShare = math.Min(1, gc.CPU.Seconds()/mw.cpu.Seconds())
		}
		if gc.Cycles >= 2 && m.Requests > 0 {
			s.AllocPerRequest = float64(gc.Allocated) / float64(m.Requests)
		}
		if m.Requests > 0 {
			s.CPUPerRequest = time.Duration(float64(mw.cpu) / float64(m.Requests))
		}
		// Let the service settle (close connections, finish a GC cycle)
		// so the next step does not inherit this one's backlog.
		select {
		case <-ctx.Done():
		case <-time.After(l.Cooldown):
		}
		return s, nil
	}
}

// requests returns what each step sends: the traffic, or a GET per path.
func (l Load) requests() []traffic.Request {
	if len(l.Traffic) > 0 {
		return l.Traffic
	}
	return getRequests(l.Paths)
}

func getRequests(paths []string) []traffic.Request {
	reqs := make([]traffic.Request, len(paths))
	for i, p := range paths {
		reqs[i] = traffic.Request{Method: http.MethodGet, URL: p}
	}
	return reqs
}

// failed says whether a result counts as an error: a transport failure
// or an error status (with traffic, 5xx only).
func (l Load) failed(r *vegeta.Result) bool {
	if len(l.Traffic) > 0 {
		return r.Code == 0 || r.Code >= 500
	}
	return r.Error != ""
}

// completions tracks when successful responses completed. The achieved
// rate is their count over the span from the first completion to the
// last: a service that keeps up completes at the offered rate whatever
// its latency, one that falls behind spreads its completions out. (Not
// vegeta's Throughput, which divides by the send span plus the last
// response's latency, and so reads 95% at 50ms latency in a 1s window.)
type completions struct {
	n           int
	first, last time.Time
}

func (c *completions) add(t time.Time) {
	if c.n == 0 || t.Before(c.first) {
		c.first = t
	}
	if t.After(c.last) {
		c.last = t
	}
	c.n++
}

// rate is n per span, like vegeta's request rate (count over the span
// of send times).
func (c *completions) rate() float64 {
	span := c.last.Sub(c.first).Seconds()
	if c.n < 2 || span <= 0 {
		return 0
	}
	return float64(c.n) / span
}

// watch measures a process over a step's window: CPU time between its
// start and end, and the peak RSS (VmHWM reset at the start, and VmRSS
// sampled, in case the kernel refuses the reset).
type watch struct {
	pid  int
	done chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	started bool
	start   time.Time
	cpu0    time.Duration
	wait0   time.Duration
	reset   bool
	sampled int64
	err     error
	// Machine noise at the window's start: whole-machine CPU, this
	// process's own CPU (the load generator), clock frequencies.
	mach0            MachineCPU
	self0            time.Duration
	mhzLo, mhzHi     float64
	machErr, selfErr error
}

type watchResult struct {
	start time.Time
	cpu   time.Duration
	wait  time.Duration
	peak  int64
	// other is the CPU time other processes used in the window (the
	// machine's busy time minus the service's and this process's);
	// steal the hypervisor's steal time. Both -1 when /proc/stat could
	// not be read.
	other, steal time.Duration
	// mhzLo and mhzHi span the CPUs' clock over the window (0: not
	// visible).
	mhzLo, mhzHi float64
}

func startWatch(pid int, at time.Time) *watch {
	w := &watch{pid: pid, done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		select {
		case <-w.done:
			return
		case <-time.After(time.Until(at)):
		}
		cpu0, err := ProcCPU(pid)
		_, wait0, serr := ProcSched(pid)
		reset := ResetPeak(pid) == nil
		mach0, machErr := ProcMachine()
		self0, selfErr := ProcCPU(os.Getpid())
		lo, hi, _ := CPUMHz()
		w.mu.Lock()
		w.started, w.start, w.cpu0, w.wait0, w.reset, w.err = true, time.Now(), cpu0, wait0, reset, errors.Join(err, serr)
		w.mach0, w.self0, w.machErr, w.selfErr, w.mhzLo, w.mhzHi = mach0, self0, machErr, selfErr, lo, hi
		w.mu.Unlock()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if m, err := ProcMemory(pid); err == nil {
				w.mu.Lock()
				w.sampled = max(w.sampled, m.RSS)
				w.mu.Unlock()
			}
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *watch) stop() {
	close(w.done)
	w.wg.Wait()
}

func (w *watch) finish(end time.Time) (watchResult, error) {
	cpu1, cpuErr := ProcCPU(w.pid)
	_, wait1, schedErr := ProcSched(w.pid)
	cpuErr = errors.Join(cpuErr, schedErr)
	mem, memErr := ProcMemory(w.pid)
	mach1, machErr := ProcMachine()
	self1, selfErr := ProcCPU(os.Getpid())
	lo, hi, mhzOK := CPUMHz()
	w.stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case !w.started:
		return watchResult{}, fmt.Errorf("the step ended before its warm-up did")
	case w.err != nil:
		return watchResult{}, w.err
	case cpuErr != nil:
		return watchResult{}, cpuErr
	case memErr != nil:
		return watchResult{}, memErr
	}
	r := watchResult{start: w.start, cpu: cpu1 - w.cpu0, wait: wait1 - w.wait0, peak: max(w.sampled, mem.RSS), other: -1, steal: -1}
	if w.reset {
		r.peak = max(r.peak, mem.HWM)
	}
	if machErr == nil && selfErr == nil && w.machErr == nil && w.selfErr == nil {
		r.other = max(0, (mach1.Busy-w.mach0.Busy)-(self1-w.self0)-r.cpu)
		r.steal = mach1.Steal - w.mach0.Steal
	}
	if mhzOK && w.mhzHi > 0 {
		r.mhzLo, r.mhzHi = min(lo, w.mhzLo), max(hi, w.mhzHi)
	}
	return r, nil
}
