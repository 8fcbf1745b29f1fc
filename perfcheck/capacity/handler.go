package capacity

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/middleware"
)

// HandlerWork is the handlers' own work per request, as the service's
// perfcheck/middleware sampler counted it (the handler span on a locked
// thread: no GC, no HTTP stack, unlike Work).
type HandlerWork struct {
	// Backend and Unit are the middleware's: pmu and instructions, or
	// taskclock and ns (time).
	Backend string `json:"backend"`
	Unit    string `json:"unit"`
	// PerRequest is the mean over the requests sampled in the phase.
	PerRequest float64 `json:"per_request"`
	// Sampled is how many requests of the phase were sampled.
	Sampled uint64 `json:"sampled"`
	// Note is the middleware's explanation of a fallback.
	Note string `json:"note,omitempty"`
}

// String formats the figure for the text report.
func (h *HandlerWork) String() string {
	if h.Unit == "instructions" {
		return fmt.Sprintf("%.4gM instr (%s, %d sampled)", h.PerRequest/1e6, h.Backend, h.Sampled)
	}
	return fmt.Sprintf("%s (%s time, %d sampled)", FormatDuration(time.Duration(h.PerRequest)), h.Backend, h.Sampled)
}

// snapshotTotal returns the summed per-request counts of a middleware
// snapshot and how many samples they cover, over all routes except the
// metrics endpoint's own.
func snapshotTotal(s middleware.Snapshot, skip string) (sum float64, n uint64) {
	for _, r := range s.Routes {
		if r.Pattern == skip || r.Pattern == "GET "+skip {
			continue
		}
		sum += r.PerRequest.Mean * float64(r.PerRequest.Count)
		n += r.PerRequest.Count
	}
	return sum, n
}

// measureHandler starts the service under the budget, reads the
// middleware snapshot, sends the fixed-work phase's requests one at a
// time, reads it again, and returns the mean handler work of the
// requests sampled in between.
func measureHandler(ctx context.Context, cfg Config, spec ServiceSpec) (*HandlerWork, error) {
	svc, err := Start(spec)
	if err != nil {
		return nil, err
	}
	defer svc.Stop()
	if err := svc.WaitReady(ctx, cfg.Load.Paths[0], cfg.Ready); err != nil {
		return nil, err
	}
	before, err := fetchSnapshot(ctx, svc, cfg.MetricsPath)
	if err != nil {
		return nil, err
	}
	if err := sequential(ctx, svc, cfg.Load.requests(), len(cfg.Load.Traffic) > 0, max(cfg.Work.Requests, 100)); err != nil {
		return nil, err
	}
	after, err := fetchSnapshot(ctx, svc, cfg.MetricsPath)
	if err != nil {
		return nil, err
	}
	s0, n0 := snapshotTotal(before, cfg.MetricsPath)
	s1, n1 := snapshotTotal(after, cfg.MetricsPath)
	if n1 <= n0 {
		return nil, fmt.Errorf("GET %s: no request was sampled during %d requests (the middleware samples 1 in %d; raise -requests, or is the middleware wrapping the handlers of %v?)",
			cfg.MetricsPath, max(cfg.Work.Requests, 100), after.SampleEvery, cfg.Load.Paths)
	}
	return &HandlerWork{Backend: after.Backend, Unit: after.Unit, PerRequest: (s1 - s0) / float64(n1-n0), Sampled: n1 - n0, Note: after.Note}, nil
}

func fetchSnapshot(ctx context.Context, svc *Service, path string) (middleware.Snapshot, error) {
	url := "http://" + svc.Addr + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return middleware.Snapshot{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return middleware.Snapshot{}, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return middleware.Snapshot{}, fmt.Errorf("GET %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return middleware.Snapshot{}, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	var s middleware.Snapshot
	if err := json.Unmarshal(body, &s); err != nil {
		return middleware.Snapshot{}, fmt.Errorf("GET %s: not a perfcheck/middleware JSON snapshot: %w", url, err)
	}
	if s.Routes == nil || s.Unit == "" {
		return middleware.Snapshot{}, fmt.Errorf("GET %s: not a perfcheck/middleware JSON snapshot (no unit or routes field)", url)
	}
	return s, nil
}
