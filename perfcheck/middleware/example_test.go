package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/upshift-dev/upshift/perfcheck/middleware"
)

// A service wraps its mux and serves the aggregates on a debug path.
func Example() {
	s := middleware.New(middleware.Options{SampleEvery: 1, Counter: fakeCounter{instructions: 1200}})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") })
	mux.Handle("GET /debug/upshift", s.Handler())
	handler := s.Wrap(mux) // http.ListenAndServe("127.0.0.1:8080", handler)

	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items", nil))
	for _, r := range s.Snapshot().Routes {
		fmt.Printf("%s: %d sampled, %.0f %s/request\n", r.Pattern, r.Sampled, r.PerRequest.Mean, s.Snapshot().Unit)
	}
	// Output: GET /items: 1 sampled, 1200 instructions/request
}
