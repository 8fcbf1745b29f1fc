// Package middleware is a request sampler for net/http services: the
// in-production half of upshift's performance checks.
//
// It samples one request in N, runs the handler on a locked OS thread
// while a per-thread counter counts it (instructions with hardware
// counters; the task clock, labelled as time, where there are none), and
// aggregates per route pattern the latency, that work, and the heap
// allocations of the sampled requests. The aggregates are served as JSON
// and in the Prometheus text format, and `upshift perf capacity -metrics
// PATH` reads them to report handler work per request next to the
// whole-process figures.
//
//	s := middleware.New(middleware.Options{SampleEvery: 100})
//	mux := http.NewServeMux()
//	mux.HandleFunc("GET /items", items)
//	mux.Handle("GET /debug/upshift", s.Handler())
//	http.ListenAndServe(addr, s.Wrap(mux))
//
// An unsampled request costs one atomic increment. Allocation figures are
// process-wide deltas of runtime/metrics: they include other goroutines'
// allocations during the span, and the runtime counts small allocations
// in batches (when a per-P cache is refilled), so single samples are
// coarse and only means over many samples are meaningful. A counter that
// was enabled but never scheduled is reported as not counted, never as 0.
//
// A Recorder is the other half: it writes one request in N to a file in
// the traffic format (perfcheck/traffic), for `upshift replay` and `upshift
// perf capacity -traffic`, with Authorization, Cookie and Set-Cookie
// redacted and a body size cap (larger requests are skipped, not
// truncated):
//
//	rec := middleware.NewRecorder(f, middleware.RecordOptions{SampleEvery: 100})
//	http.ListenAndServe(addr, rec.Wrap(mux))
package middleware
