package middleware_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/upshift-dev/upshift/perfcheck/counter"
	"github.com/upshift-dev/upshift/perfcheck/middleware"
)

// fakeCounter counts a fixed number of instructions per span, or fails.
type fakeCounter struct {
	instructions float64
	err          error
}

func (f fakeCounter) Span(fn func()) (counter.Reading, error) {
	if f.err != nil {
		return counter.Reading{}, f.err
	}
	fn()
	return counter.Reading{Backend: "fake", Counts: []counter.Count{{Event: counter.EventInstructions, Value: f.instructions}}}, nil
}

func mux(s *middleware.Sampler) http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 64<<10))
	})
	m.Handle("GET /debug/upshift", s.Handler())
	return s.Wrap(m)
}

func get(t *testing.T, h http.Handler, path, accept string) string {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.String()
}

func TestSamplesOneInN(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 4, Counter: fakeCounter{instructions: 1000}})
	h := mux(s)
	for i := 0; i < 40; i++ {
		get(t, h, fmt.Sprintf("/items/%d", i), "")
	}
	get(t, h, "/nothing", "")
	snap := s.Snapshot()
	if snap.Requests != 41 || snap.Backend != "fake" || snap.Unit != "instructions" || snap.SampleEvery != 4 {
		t.Fatalf("snapshot header = %+v", snap)
	}
	if len(snap.Routes) != 1 || snap.Routes[0].Pattern != "GET /items/{id}" {
		t.Fatalf("routes = %+v", snap.Routes)
	}
	r := snap.Routes[0]
	if r.Sampled != 10 || r.PerRequest.Count != 10 || r.PerRequest.Mean != 1000 || r.PerRequest.P99 != 1000 {
		t.Errorf("route = %+v", r)
	}
	// A large allocation is counted at once; small ones reach
	// runtime/metrics in batches.
	if r.AllocBytes.Mean < 64<<10 {
		t.Errorf("alloc bytes mean %v, want >= 64 KiB (the handler allocates 64 KiB)", r.AllocBytes.Mean)
	}
	if r.LatencyNS.Count != 10 || r.LatencyNS.Max <= 0 {
		t.Errorf("latency = %+v", r.LatencyNS)
	}
}

func TestUnmatchedAndRouteCap(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 1, Counter: fakeCounter{instructions: 5}, MaxRoutes: 1})
	m := http.NewServeMux()
	m.HandleFunc("GET /a", func(http.ResponseWriter, *http.Request) {})
	m.HandleFunc("GET /b", func(http.ResponseWriter, *http.Request) {})
	h := s.Wrap(m)
	get(t, h, "/a", "")
	get(t, h, "/b", "")
	get(t, h, "/zzz", "")
	var got []string
	for _, r := range s.Snapshot().Routes {
		got = append(got, fmt.Sprintf("%s=%d", r.Pattern, r.Sampled))
	}
	if strings.Join(got, " ") != "GET /a=1 other=2" {
		t.Errorf("routes = %v, want GET /a=1 other=2", got)
	}
}

func TestNotCountedIsNotZero(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 1, Counter: fakeCounter{err: counter.ErrNotCounted}})
	served := false
	h := s.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served = true }))
	get(t, h, "/", "")
	if !served {
		t.Fatal("the handler must run even when the counter fails to start")
	}
	r := s.Snapshot().Routes[0]
	if r.NotCounted != 1 || r.PerRequest.Count != 0 {
		t.Errorf("route = %+v: a not-counted span must not be recorded as a value", r)
	}
}

func TestCounterErrorIsNoted(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 1, Counter: fakeCounter{err: errors.New("EACCES")}})
	get(t, s.Wrap(http.NotFoundHandler()), "/", "")
	if snap := s.Snapshot(); !strings.Contains(snap.Note, "EACCES") {
		t.Errorf("note = %q, want the counter's error", snap.Note)
	}
}

func TestJSONAndPrometheus(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 1, Counter: fakeCounter{instructions: 2500}})
	h := mux(s)
	get(t, h, "/items/1", "")
	get(t, h, "/items/2", "")

	var snap middleware.Snapshot
	if err := json.Unmarshal([]byte(get(t, h, "/debug/upshift", "")), &snap); err != nil {
		t.Fatal(err)
	}
	if snap.Routes[0].PerRequest.Mean != 2500 {
		t.Errorf("JSON snapshot = %+v", snap)
	}

	prom := get(t, h, "/debug/upshift?format=prometheus", "")
	for _, want := range []string{
		"# TYPE upshift_requests_total counter\nupshift_requests_total 4\n",
		`upshift_sampled_requests_total{route="GET /items/{id}"} 2` + "\n",
		"# TYPE upshift_handler_instructions summary\n",
		`upshift_handler_instructions{route="GET /items/{id}",quantile="0.99"} 2500` + "\n",
		`upshift_handler_instructions_sum{route="GET /items/{id}"} 5000` + "\n",
		`upshift_handler_instructions_count{route="GET /items/{id}"} 2` + "\n",
		"# TYPE upshift_handler_latency_seconds summary\n",
	} {
		if !strings.Contains(prom, want) {
			t.Errorf("Prometheus output lacks %q:\n%s", want, prom)
		}
	}
	if got := get(t, h, "/debug/upshift", "text/plain"); !strings.HasPrefix(got, "# HELP upshift_requests_total") {
		t.Errorf("Accept: text/plain should select the text format, got %.60q", got)
	}
}

func TestLabelEscaping(t *testing.T) {
	var b strings.Builder
	middleware.WritePrometheus(&b, middleware.Snapshot{Routes: []middleware.Route{{Pattern: "GET /a\"b\\c\nd", Sampled: 1}}})
	if want := `{route="GET /a\"b\\c\nd"} 1`; !strings.Contains(b.String(), want) {
		t.Errorf("output lacks %s:\n%s", want, b.String())
	}
}

// TestTaskClockFallback uses the real counters: on machines without
// hardware counters the sampler must fall back to the task clock and say
// so.
func TestTaskClockFallback(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 1})
	snap := s.Snapshot()
	switch snap.Backend {
	case counter.PMUName:
		t.Skip("this machine has hardware counters: no fallback to test")
	case "none":
		t.Skipf("no counter works here: %s", snap.Note)
	}
	if snap.Backend != counter.TaskClockName || snap.Unit != "ns" || !strings.Contains(snap.Note, "task-clock") {
		t.Fatalf("snapshot = %+v, want the taskclock fallback with a note", snap)
	}
	h := s.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x := 0
		for i := 0; i < 1_000_000; i++ {
			x += i
		}
		fmt.Fprint(io.Discard, x)
	}))
	get(t, h, "/", "")
	if r := s.Snapshot().Routes[0]; r.PerRequest.Count != 1 || r.PerRequest.Mean <= 0 {
		t.Errorf("route = %+v, want one positive task-clock figure", r)
	}
}

// TestRealPMU counts a handler with hardware counters where they exist.
func TestRealPMU(t *testing.T) {
	pmu := counter.NewPMU()
	if err := pmu.Probe(t.Context()); err != nil {
		t.Skipf("no hardware counters: %v", err)
	}
	s := middleware.New(middleware.Options{SampleEvery: 1})
	get(t, s.Wrap(http.NotFoundHandler()), "/", "")
	if r := s.Snapshot().Routes[0]; r.PerRequest.Count != 1 || r.PerRequest.Mean < 100 {
		t.Errorf("route = %+v, want an instruction count", r)
	}
}

func TestConcurrent(t *testing.T) {
	s := middleware.New(middleware.Options{SampleEvery: 3, Counter: fakeCounter{instructions: 7}})
	h := mux(s)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				get(t, h, "/items/1", "")
				if i%50 == 0 {
					s.Snapshot()
				}
			}
		}()
	}
	wg.Wait()
	if snap := s.Snapshot(); snap.Requests != 2400 || snap.Routes[0].Sampled != 800 {
		t.Errorf("requests %d, sampled %d; want 2400 and 800", snap.Requests, snap.Routes[0].Sampled)
	}
}

type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header         { return w.h }
func (w nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w nopWriter) WriteHeader(int)             {}

// BenchmarkUnsampled is the cost a request pays when it is not sampled
// (the sampler never picks it).
func BenchmarkUnsampled(b *testing.B) {
	s := middleware.New(middleware.Options{SampleEvery: 1 << 62, Counter: fakeCounter{}})
	h := s.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest("GET", "/", nil)
	w := nopWriter{http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}

// BenchmarkSampled is the cost of a sampled request with the counter this
// machine has (task clock here: opening, reading and closing a per-thread
// counter dominates).
func BenchmarkSampled(b *testing.B) {
	s := middleware.New(middleware.Options{SampleEvery: 1})
	b.Logf("backend %s", s.Snapshot().Backend)
	h := s.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest("GET", "/", nil)
	w := nopWriter{http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}
