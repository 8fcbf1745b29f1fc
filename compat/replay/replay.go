package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/service"
	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// Config is one replay.
type Config struct {
	// Dir is the directory revisions and relative paths resolve against.
	Dir string
	// Base and Head are git revisions or directories; Pkg is the
	// service's main package, relative to each side's module.
	Base, Head, Pkg string
	// Traffic is the recorded requests, sent in this order.
	Traffic []traffic.Request
	// IgnoreHeaders are response headers not compared, on top of
	// DefaultIgnoreHeaders.
	IgnoreHeaders []string
	// Concurrency is how many requests are in flight at once (each goes
	// to the three copies one after the other). 1 keeps the order, which
	// a stateful service needs for its copies to agree.
	Concurrency int
	// Timeout bounds each request; Ready how long a copy may take to
	// listen.
	Timeout, Ready time.Duration
	// MaxBody caps the bytes of a response body that are compared.
	MaxBody int64
	// Progress, when set, receives progress lines.
	Progress io.Writer
}

// Report is the outcome of a replay.
type Report struct {
	// Base and Head are the versions as given.
	Base string `json:"base"`
	Head string `json:"head"`
	// Requests is the number of requests replayed; Endpoints counts them
	// per endpoint.
	Requests  int            `json:"requests"`
	Endpoints map[string]int `json:"endpoints"`
	// Differences are where head answers differently while the two base
	// copies agree; Noise where the base copies disagreed (ignored).
	Differences []Difference `json:"differences"`
	Noise       []Noise      `json:"noise"`
	// IgnoredHeaders are the response headers not compared.
	IgnoredHeaders []string `json:"ignored_headers"`
	// Notes say where the comparison was partial (truncated bodies).
	Notes []string `json:"notes,omitempty"`
}

// copies are the three running services, in the order each request is
// sent to them: head between the two bases, so that a value that only
// moves forward with time (a timestamp at second resolution) cannot agree
// in both bases and differ in head.
var copies = [3]string{"base-1", "head", "base-2"}

// Run builds both versions, starts base twice and head once, sends every
// request to the three copies and compares their answers.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if len(cfg.Traffic) == 0 {
		return nil, errors.New("no requests to replay")
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	binDir, err := os.MkdirTemp("", "upshift-replay-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(binDir)
	type built struct{ bin, dir string }
	var sides [2]built
	for i, v := range []struct{ label, spec string }{{"base", cfg.Base}, {"head", cfg.Head}} {
		cfg.progress("building %s (%s)", v.label, v.spec)
		bin, dir, cleanup, err := service.BuildVersion(ctx, cfg.Dir, v.spec, cfg.Pkg, binDir, v.label)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		sides[i] = built{bin, dir}
	}
	var procs [3]*service.Process
	for i, label := range copies {
		side := sides[0]
		if label == "head" {
			side = sides[1]
		}
		p, err := service.Start(service.Spec{Label: label, Bin: side.bin, Dir: side.dir, Env: os.Environ()})
		if err != nil {
			return nil, err
		}
		defer p.Stop()
		procs[i] = p
	}
	for _, p := range procs {
		// Any answer at / (a 404 too) means the copy listens.
		if err := p.WaitReady(ctx, "/", cfg.Ready); err != nil {
			return nil, err
		}
	}
	cfg.progress("replaying %d requests to base (twice) and head", len(cfg.Traffic))
	answers, truncated, err := sendAll(ctx, cfg, procs)
	if err != nil {
		return nil, err
	}

	ignore := append(slices.Clone(DefaultIgnoreHeaders), cfg.IgnoreHeaders...)
	col := newCollector(ignore)
	for i, req := range cfg.Traffic {
		a := answers[i]
		col.add(req, a[0], a[1], a[2])
	}
	rep := &Report{Base: cfg.Base, Head: cfg.Head, Requests: len(cfg.Traffic), Endpoints: col.endpoints, IgnoredHeaders: ignore}
	rep.Differences, rep.Noise = col.report()
	if rep.Differences == nil {
		rep.Differences = []Difference{}
	}
	if rep.Noise == nil {
		rep.Noise = []Noise{}
	}
	if truncated > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d response bodies were longer than %d bytes: only their first %d bytes were compared", truncated, cfg.MaxBody, cfg.MaxBody))
	}
	return rep, nil
}

// sendAll sends every request to the three copies (in copies order) with
// cfg.Concurrency workers and returns the answers by request index. A
// copy that dies ends the replay with its last output.
func sendAll(ctx context.Context, cfg Config, procs [3]*service.Process) ([][3]*response, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	answers := make([][3]*response, len(cfg.Traffic))
	jobs := make(chan int)
	var (
		mu        sync.Mutex
		firstErr  error
		truncated int
		done      int
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				for c, p := range procs {
					r := send(ctx, client, p.Addr, cfg.Traffic[i], cfg.MaxBody)
					if r.err != "" {
						// A copy that crashed on this request closes the
						// connection a moment before it is reaped.
						_ = p.Wait(300 * time.Millisecond)
						if dead, err := p.Exited(); dead {
							fail(fmt.Errorf("request %d (%s %s): %w", i+1, cfg.Traffic[i].Method, cfg.Traffic[i].URL, err))
							return
						}
						if ctx.Err() != nil {
							return
						}
					}
					answers[i][c] = r
					if r.truncated {
						mu.Lock()
						truncated++
						mu.Unlock()
					}
				}
				mu.Lock()
				done++
				if done%500 == 0 {
					cfg.progress("%d of %d requests", done, len(cfg.Traffic))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range cfg.Traffic {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, 0, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return answers, truncated, nil
}

// replayHost is the Host header of requests recorded without one: the
// same for every copy (their ports differ), so a service that echoes it
// answers alike.
const replayHost = "127.0.0.1"

// send sends one request to addr and reads the answer.
func send(ctx context.Context, client *http.Client, addr string, req traffic.Request, maxBody int64) *response {
	hr, err := http.NewRequestWithContext(ctx, req.Method, "http://"+addr+req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return &response{err: err.Error()}
	}
	hr.Header = req.Header.Clone()
	if hr.Header == nil {
		hr.Header = http.Header{}
	}
	hr.Host = replayHost
	if h := hr.Header.Get("Host"); h != "" {
		hr.Host = h
		hr.Header.Del("Host")
	}
	resp, err := client.Do(hr)
	if err != nil {
		return &response{err: transportError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	r := &response{status: resp.StatusCode, header: resp.Header, body: body}
	if err != nil {
		return &response{err: "reading the body: " + transportError(err)}
	}
	if int64(len(body)) > maxBody {
		r.body, r.truncated = body[:maxBody], true
	}
	return r
}

// transportError says what failed without the copy's address, which
// differs between copies and would make every failure look different.
func transportError(err error) string {
	var ue interface{ Timeout() bool }
	if errors.As(err, &ue) && ue.Timeout() {
		return "timeout"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "connection closed"
	}
	return "transport error"
}

func (c Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "upshift replay: "+format+"\n", args...)
	}
}
