package middleware

// Snapshot is what a Sampler has aggregated, as served in JSON.
type Snapshot struct {
	// Backend counted the handlers' work: pmu, taskclock, none, or a
	// custom counter's name. Figures of different backends are never
	// comparable.
	Backend string `json:"backend"`
	// Unit is the unit of PerRequest: "instructions", "ns" (task clock
	// time) or "none".
	Unit string `json:"unit"`
	// SampleEvery is N in "one request in N is sampled".
	SampleEvery int `json:"sample_every"`
	// Note says why a fallback backend is used, or what failed.
	Note string `json:"note,omitempty"`
	// Requests counts every request seen, sampled or not.
	Requests uint64 `json:"requests"`
	// Routes holds one entry per route pattern, sorted by pattern.
	Routes []Route `json:"routes"`
}

// Route aggregates the sampled requests of one route pattern.
type Route struct {
	// Pattern is the ServeMux pattern ("GET /items/{id}"), "unmatched",
	// or "other" beyond the route cap.
	Pattern string `json:"pattern"`
	// Sampled counts the sampled requests; NotCounted those whose counter
	// did not run (unknown work, never recorded as 0).
	Sampled    uint64 `json:"sampled"`
	NotCounted uint64 `json:"not_counted,omitempty"`
	// LatencyNS is the handler's wall time in nanoseconds.
	LatencyNS Summary `json:"latency_ns"`
	// PerRequest is the handler's work in Snapshot.Unit.
	PerRequest Summary `json:"per_request"`
	// AllocBytes and Allocs are the heap allocations during the handler,
	// process-wide (exact when nothing else allocates meanwhile).
	AllocBytes Summary `json:"alloc_bytes"`
	Allocs     Summary `json:"allocs"`
}

// Summary describes one quantity. Count and Mean cover every sample; the
// percentiles cover the most recent 512.
type Summary struct {
	Count uint64  `json:"count"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}
