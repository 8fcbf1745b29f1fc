package middleware

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Handler serves the aggregates: JSON by default, the Prometheus text
// exposition format (0.0.4) with ?format=prometheus or an Accept header
// that asks for text/plain.
func (s *Sampler) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap := s.Snapshot()
		accept := r.Header.Get("Accept")
		if r.URL.Query().Get("format") == "prometheus" ||
			(strings.Contains(accept, "text/plain") && !strings.Contains(accept, "application/json")) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			WritePrometheus(w, snap)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(snap)
	})
}

// WritePrometheus writes snap in the Prometheus text exposition format.
func WritePrometheus(w io.Writer, snap Snapshot) {
	fmt.Fprintf(w, "# HELP upshift_requests_total Requests seen by the sampler.\n# TYPE upshift_requests_total counter\nupshift_requests_total %d\n", snap.Requests)
	fmt.Fprintf(w, "# HELP upshift_sample_every One request in this many is sampled.\n# TYPE upshift_sample_every gauge\nupshift_sample_every %d\n", snap.SampleEvery)
	fmt.Fprintf(w, "# HELP upshift_sampled_requests_total Sampled requests by route.\n# TYPE upshift_sampled_requests_total counter\n")
	for _, r := range snap.Routes {
		fmt.Fprintf(w, "upshift_sampled_requests_total{route=\"%s\"} %d\n", escape(r.Pattern), r.Sampled)
	}
	summary(w, "upshift_handler_latency_seconds", "Handler wall time of sampled requests.", snap, 1e-9, func(r Route) Summary { return r.LatencyNS })
	switch snap.Unit {
	case "instructions":
		summary(w, "upshift_handler_instructions", "Instructions of the handler on its locked thread ("+snap.Backend+").", snap, 1, func(r Route) Summary { return r.PerRequest })
	case "ns":
		summary(w, "upshift_handler_cpu_seconds", "Task-clock time of the handler on its locked thread (time, not instructions).", snap, 1e-9, func(r Route) Summary { return r.PerRequest })
	}
	summary(w, "upshift_handler_alloc_bytes", "Heap bytes allocated during sampled requests (process-wide).", snap, 1, func(r Route) Summary { return r.AllocBytes })
	summary(w, "upshift_handler_allocs", "Heap objects allocated during sampled requests (process-wide).", snap, 1, func(r Route) Summary { return r.Allocs })
}

func summary(w io.Writer, name, help string, snap Snapshot, scale float64, get func(Route) Summary) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s summary\n", name, help, name)
	for _, r := range snap.Routes {
		s := get(r)
		if s.Count == 0 {
			continue
		}
		label := escape(r.Pattern)
		for _, q := range []struct {
			q string
			v float64
		}{{"0.5", s.P50}, {"0.9", s.P90}, {"0.99", s.P99}} {
			fmt.Fprintf(w, "%s{route=\"%s\",quantile=\"%s\"} %g\n", name, label, q.q, q.v*scale)
		}
		fmt.Fprintf(w, "%s_sum{route=\"%s\"} %g\n", name, label, s.Mean*float64(s.Count)*scale)
		fmt.Fprintf(w, "%s_count{route=\"%s\"} %d\n", name, label, s.Count)
	}
}

// escape escapes a label value: backslash, double quote and line feed.
func escape(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}
