package capacity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/perfcheck/middleware"
	"github.com/upshift-dev/upshift/perfcheck/service"
)

func TestFetchSnapshot(t *testing.T) {
	snap := `{"backend":"taskclock","unit":"ns","sample_every":10,"note":"no hardware counters",
	  "routes":[{"pattern":"GET /items","requests":100,"sampled":10,"per_request":{"count":10,"mean":2000}},
	            {"pattern":"/metrics","requests":2,"sampled":1,"per_request":{"count":1,"mean":99999}},
	            {"pattern":"GET /healthz","requests":10,"sampled":1,"per_request":{"count":1,"mean":500}}]}`
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(snap)) })
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"ok"}`)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	svc := &Service{Process: &service.Process{Addr: strings.TrimPrefix(srv.URL, "http://")}}

	s, err := fetchSnapshot(context.Background(), svc, "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	sum, n := snapshotTotal(s, "/metrics")
	if n != 11 || sum != 20500 || s.Unit != "ns" || s.SampleEvery != 10 {
		t.Errorf("total = %v over %d (unit %q); want 20500 over 11, the metrics route skipped", sum, n, s.Unit)
	}
	if _, err := fetchSnapshot(context.Background(), svc, "/other"); err == nil || !strings.Contains(err.Error(), "not a perfcheck/middleware JSON snapshot") {
		t.Errorf("another endpoint's JSON: err = %v", err)
	}
	if _, err := fetchSnapshot(context.Background(), svc, "/missing"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing endpoint: err = %v", err)
	}
	h := HandlerWork{Backend: "pmu", Unit: "instructions", PerRequest: 123456, Sampled: 7}
	if got := h.String(); got != "0.1235M instr (pmu, 7 sampled)" {
		t.Errorf("String = %q", got)
	}
}

// TestFetchRealSnapshot reads what perfcheck/middleware really serves.
func TestFetchRealSnapshot(t *testing.T) {
	sampler := middleware.New(middleware.Options{SampleEvery: 1})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("[]")) })
	mux.Handle("GET /debug/upshift", sampler.Handler())
	srv := httptest.NewServer(sampler.Wrap(mux))
	defer srv.Close()
	svc := &Service{Process: &service.Process{Addr: strings.TrimPrefix(srv.URL, "http://")}}
	for i := 0; i < 3; i++ {
		resp, err := http.Get(srv.URL + "/items")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	s, err := fetchSnapshot(context.Background(), svc, "/debug/upshift")
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend == "none" {
		t.Skipf("no counter here: %s", s.Note)
	}
	if _, n := snapshotTotal(s, "/debug/upshift"); n != 3 {
		t.Errorf("samples = %d, want 3 (routes %+v)", n, s.Routes)
	}
}
