package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// Options configure a Sampler.
type Options struct {
	// SampleEvery samples one request in this many (default 100; 1
	// samples every request).
	SampleEvery int
	// Counter counts the handler's span on its locked thread. nil probes
	// the hardware counters (pmu), then the task clock; when neither
	// works, only latency and allocations are recorded.
	Counter counter.SpanCounter
	// MaxRoutes caps the number of route patterns tracked (default 256);
	// later patterns are aggregated under "other".
	MaxRoutes int
}

// reservoir is how many recent samples per route and quantity keep the
// percentiles; means and counts cover every sample.
const reservoir = 512

// A Sampler is net/http middleware that samples requests and aggregates,
// per route pattern, the handler's latency, work (instructions or task
// clock time) and allocations. It is safe for concurrent use.
type Sampler struct {
	every     uint64
	maxRoutes int
	counter   counter.SpanCounter
	backend   string
	unit      string
	note      string
	seen      atomic.Uint64

	mu     sync.Mutex
	routes map[string]*route
}

type route struct {
	sampled, notCounted uint64
	latency, work       stat
	allocBytes, allocs  stat
}

// stat accumulates one quantity: count, sum and max over all samples, and
// a ring of the most recent ones for percentiles.
type stat struct {
	count    uint64
	sum, max float64
	ring     [reservoir]float64
	next     int
}

func (s *stat) add(v float64) {
	s.count++
	s.sum += v
	s.max = max(s.max, v)
	s.ring[s.next] = v
	s.next = (s.next + 1) % reservoir
}

func (s *stat) summary() Summary {
	if s.count == 0 {
		return Summary{}
	}
	n := int(min(s.count, reservoir))
	vals := slices.Clone(s.ring[:n])
	slices.Sort(vals)
	q := func(p float64) float64 { return vals[int(p*float64(n-1)+0.5)] }
	return Summary{Count: s.count, Mean: s.sum / float64(s.count), P50: q(0.50), P90: q(0.90), P99: q(0.99), Max: s.max}
}

// New returns a Sampler. Without opts.Counter it probes the counters once,
// here, and records which one it uses and why in every snapshot.
func New(opts Options) *Sampler {
	s := &Sampler{
		every:     uint64(max(opts.SampleEvery, 1)),
		maxRoutes: opts.MaxRoutes,
		counter:   opts.Counter,
		routes:    map[string]*route{},
	}
	if opts.SampleEvery == 0 {
		s.every = 100
	}
	if s.maxRoutes <= 0 {
		s.maxRoutes = 256
	}
	if s.counter != nil {
		s.backend, s.unit = "custom", "" // named from the first reading
		return s
	}
	ctx := context.Background()
	pmu := counter.NewPMU()
	pmuErr := pmu.Probe(ctx)
	if pmuErr == nil {
		s.counter, s.backend, s.unit = pmu, counter.PMUName, counter.EventInstructions.Unit
		return s
	}
	tc := counter.NewTaskClock()
	if tcErr := tc.Probe(ctx); tcErr == nil {
		s.counter, s.backend, s.unit = tc, counter.TaskClockName, counter.EventTaskClock.Unit
		s.note = fmt.Sprintf("no hardware instruction counter (%v): per_request is the handler's task-clock time in ns, not instructions", pmuErr)
		return s
	} else {
		s.backend, s.unit = "none", "none"
		s.note = fmt.Sprintf("no counter works here (pmu: %v; taskclock: %v): only latency and allocations are recorded", pmuErr, tcErr)
	}
	return s
}

// Wrap returns next wrapped by the sampler. The route of a request is the
// pattern that net/http's ServeMux matched (Request.Pattern, set while
// routing), so wrap the mux itself; requests no pattern matched are
// recorded as "unmatched".
func (s *Sampler) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.seen.Add(1)%s.every != 0 {
			next.ServeHTTP(w, r)
			return
		}
		s.sample(next, w, r)
	})
}

// allocMetrics are read around a sampled handler. They are process-wide:
// exact when no other goroutine allocates meanwhile, otherwise an upper
// bound.
var allocMetrics = [2]string{"/gc/heap/allocs:bytes", "/gc/heap/allocs:objects"}

func readAllocs(ms *[2]metrics.Sample) (bytes, objects uint64) {
	ms[0].Name, ms[1].Name = allocMetrics[0], allocMetrics[1]
	metrics.Read(ms[:])
	return ms[0].Value.Uint64(), ms[1].Value.Uint64()
}

func (s *Sampler) sample(next http.Handler, w http.ResponseWriter, r *http.Request) {
	var ms [2]metrics.Sample
	b0, o0 := readAllocs(&ms)
	start := time.Now()
	ran := false
	var reading counter.Reading
	var err error
	if s.counter != nil {
		reading, err = s.counter.Span(func() { ran = true; next.ServeHTTP(w, r) })
	}
	if !ran {
		next.ServeHTTP(w, r)
	}
	latency := time.Since(start)
	b1, o1 := readAllocs(&ms)

	pattern := r.Pattern
	if pattern == "" {
		pattern = "unmatched"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.routes[pattern]
	if !ok {
		if len(s.routes) >= s.maxRoutes {
			pattern = "other"
			rt = s.routes[pattern]
		}
		if rt == nil {
			rt = &route{}
			s.routes[pattern] = rt
		}
	}
	rt.sampled++
	rt.latency.add(float64(latency.Nanoseconds()))
	rt.allocBytes.add(float64(b1 - b0))
	rt.allocs.add(float64(o1 - o0))
	switch {
	case s.counter == nil:
	case errors.Is(err, counter.ErrNotCounted) || (err == nil && len(reading.Counts) == 0):
		rt.notCounted++ // unknown, which is not zero
	case err != nil:
		rt.notCounted++
		s.note = "counting failed: " + err.Error()
	default:
		c := reading.Primary()
		if s.unit == "" {
			s.backend, s.unit = reading.Backend, c.Event.Unit
		}
		rt.work.add(c.Value)
	}
}

// Snapshot returns the aggregates so far.
func (s *Sampler) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := Snapshot{
		Backend:     s.backend,
		Unit:        s.unit,
		SampleEvery: int(s.every),
		Note:        s.note,
		Requests:    s.seen.Load(),
		Routes:      []Route{},
	}
	for pattern, rt := range s.routes {
		snap.Routes = append(snap.Routes, Route{
			Pattern:    pattern,
			Sampled:    rt.sampled,
			NotCounted: rt.notCounted,
			LatencyNS:  rt.latency.summary(),
			PerRequest: rt.work.summary(),
			AllocBytes: rt.allocBytes.summary(),
			Allocs:     rt.allocs.summary(),
		})
	}
	slices.SortFunc(snap.Routes, func(a, b Route) int {
		switch {
		case a.Pattern < b.Pattern:
			return -1
		case a.Pattern > b.Pattern:
			return 1
		}
		return 0
	})
	return snap
}
