package capacity

import (
	"context"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// With -traffic the step offers the recorded mix: methods, headers and
// bodies as recorded, and a recorded 404 is part of the mix, not an
// error (a GET of a -path that 404s is one).
func TestTrafficLoad(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("builds and starts a service; reads /proc")
	}
	dir := t.TempDir()
	bin, pkgDir, err := Build(context.Background(), "testdata/svc", "./headb", dir, "svc")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := Start(ServiceSpec{Label: "base", Bin: bin, Dir: pkgDir, Env: os.Environ()})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	if err := svc.WaitReady(context.Background(), "/work", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	reqs := []traffic.Request{
		{Method: "GET", URL: "/work?id=1"},
		{Method: "POST", URL: "/work", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"a":1}`)},
		{Method: "GET", URL: "/missing"},
	}
	l := Load{Paths: []string{"/work"}, Traffic: reqs, Warmup: 100 * time.Millisecond, Window: 600 * time.Millisecond, Timeout: 2 * time.Second, MaxWorkers: 16}
	st, err := l.ServiceProbe(svc)(context.Background(), 60)
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests < 20 || st.Errors != 0 || st.Achieved < 40 {
		t.Errorf("traffic step: %d requests, %d errors (%s), achieved %.0f req/s; want ~36, none, ~60", st.Requests, st.Errors, st.ErrorSample, st.Achieved)
	}
	l.Traffic = nil
	l.Paths = []string{"/missing"}
	st, err = l.ServiceProbe(svc)(context.Background(), 60)
	if err != nil {
		t.Fatal(err)
	}
	if st.Errors != st.Requests || st.Requests == 0 {
		t.Errorf("GET of a 404 path: %d errors of %d requests; want all", st.Errors, st.Requests)
	}
	if st.OtherCPU < 0 || st.Steal < 0 {
		t.Errorf("machine noise not measured: other %v, steal %v", st.OtherCPU, st.Steal)
	}
	if err := sequential(context.Background(), svc, reqs, true, 6); err != nil {
		t.Errorf("sequential over recorded traffic: %v", err)
	}
	if err := sequential(context.Background(), svc, getRequests([]string{"/missing"}), false, 1); err == nil {
		t.Error("sequential GET of a 404 path succeeded")
	}
}
