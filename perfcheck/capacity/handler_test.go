package capacity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
	svc := &Service{Addr: strings.TrimPrefix(srv.URL, "http://")}

	s, err := fetchSnapshot(context.Background(), svc, "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	sum, n := s.total("/metrics")
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
