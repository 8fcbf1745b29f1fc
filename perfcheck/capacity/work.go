package capacity

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// Work is the work per request of one side, from a fixed-work phase:
// requests sent one at a time to a fresh process, so the count does not
// depend on load or machine speed.
type Work struct {
	// Backend measured: valgrind (instructions) or taskclock (CPU time).
	Backend string `json:"backend"`
	// Unit is "instructions" or "ns" (time, not instructions).
	Unit string `json:"unit"`
	// PerRequest is the count per request, whole process: handler, GC,
	// runtime background work and the server's HTTP stack.
	PerRequest float64 `json:"per_request"`
	// Requests are the request counts of the phase: for valgrind the two
	// runs (N1, N2) whose difference cancels start-up and shutdown.
	Requests []int `json:"requests"`
	// Counts are the raw counts of those runs.
	Counts []float64 `json:"counts"`
	// Describe says how it was measured, for the report.
	Describe string `json:"describe"`
}

// WorkBackends are the backends a fixed-work phase can use, in the order
// auto tries them. pmu is absent: counting a running server's threads
// with hardware counters needs per-thread perf events opened on the live
// process, which is not implemented (capacity never compares across
// backends, so auto then uses valgrind).
var WorkBackends = []string{counter.ValgrindName, counter.TaskClockName}

// SelectWork resolves -backend for the fixed-work phase: auto picks
// valgrind when installed, else taskclock; "none" skips the phase.
func SelectWork(ctx context.Context, name string) (string, error) {
	switch name {
	case "none", counter.TaskClockName:
		return name, nil
	case counter.ValgrindName, counter.AutoName:
		v := &counter.Valgrind{}
		err := v.Probe(ctx)
		if err == nil {
			return counter.ValgrindName, nil
		}
		if name == counter.AutoName {
			return counter.TaskClockName, nil
		}
		return "", err
	case counter.PMUName:
		return "", fmt.Errorf("backend pmu is not supported by perf capacity (whole-process counting of a live server is not implemented): use valgrind or taskclock")
	}
	return "", fmt.Errorf("unknown backend %q (want auto, valgrind, taskclock or none)", name)
}

// WorkPhase measures one side's work per request.
type WorkPhase struct {
	// Backend is valgrind or taskclock (see SelectWork).
	Backend string
	// Requests is N2, the requests of the longer run; the shorter run
	// (valgrind) sends Requests/5.
	Requests int
	// Paths are requested round robin (GET), or the Traffic when set,
	// whose 4xx answers are then part of the mix.
	Paths   []string
	Traffic []traffic.Request
	// Ready is how long the service may take to listen (valgrind
	// start-up is slow).
	Ready time.Duration
}

// Measure runs the phase for the service described by spec.
func (p WorkPhase) Measure(ctx context.Context, spec ServiceSpec) (Work, error) {
	if p.Requests < 5 {
		return Work{}, fmt.Errorf("the fixed-work phase needs at least 5 requests, not %d", p.Requests)
	}
	switch p.Backend {
	case counter.ValgrindName:
		return p.valgrind(ctx, spec)
	case counter.TaskClockName:
		return p.cpuTime(ctx, spec)
	}
	return Work{}, fmt.Errorf("fixed-work phase: unsupported backend %q", p.Backend)
}

// valgrind counts whole-process instructions with cachegrind in two
// fresh runs serving N1 and N2 requests: (count2 - count1) / (N2 - N1)
// cancels start-up, the readiness request and shutdown. The settings are
// the counter package's (no ASLR, GOMAXPROCS=1, no async preemption, no
// RDTSCP); the GC stays on because its work per request is part of what
// capacity is about.
func (p WorkPhase) valgrind(ctx context.Context, spec ServiceSpec) (Work, error) {
	vg, err := exec.LookPath("valgrind")
	if err != nil {
		return Work{}, fmt.Errorf("valgrind: %w", err)
	}
	version, _ := exec.CommandContext(ctx, vg, "--version").Output()
	n := []int{p.Requests / 5, p.Requests}
	w := Work{Backend: counter.ValgrindName, Unit: "instructions", Requests: n}
	for _, reqs := range n {
		dir, err := os.MkdirTemp("", "upshift-capacity-vg-")
		if err != nil {
			return Work{}, err
		}
		defer os.RemoveAll(dir)
		s := spec
		s.Wrapper = []string{vg, "--tool=cachegrind", "--cache-sim=no",
			"--log-file=" + filepath.Join(dir, "log"),
			"--cachegrind-out-file=" + filepath.Join(dir, "cachegrind.out.%p")}
		if setarch, err := exec.LookPath("setarch"); err == nil {
			s.Wrapper = append([]string{setarch, uname(), "-R"}, s.Wrapper...)
		}
		s.Env = counter.AddGODEBUG(counter.MergeEnv(spec.Env, "GOMAXPROCS=1"), "asyncpreemptoff=1", "cpu.rdtscp=off")
		count, err := p.run(ctx, s, reqs, func(svc *Service) (float64, error) {
			// SIGTERM, not SIGKILL: the Go runtime re-raises it with
			// the default action, and valgrind writes its counts when
			// the guest dies of a signal.
			if err := svc.Signal(syscall.SIGTERM); err != nil {
				return 0, err
			}
			if err := svc.Wait(2 * time.Minute); err == errTimeout {
				return 0, err
			}
			files, _ := filepath.Glob(filepath.Join(dir, "cachegrind.out.*"))
			if len(files) == 0 {
				log, _ := os.ReadFile(filepath.Join(dir, "log"))
				return 0, fmt.Errorf("valgrind wrote no counts; its log:\n%s", indent(lastLines(string(log), 15)))
			}
			var total uint64
			for _, f := range files {
				v, err := counter.ReadValgrindTotal(f)
				if err != nil {
					return 0, err
				}
				total += v
			}
			return float64(total), nil
		})
		if err != nil {
			return Work{}, err
		}
		w.Counts = append(w.Counts, count)
	}
	w.PerRequest = (w.Counts[1] - w.Counts[0]) / float64(n[1]-n[0])
	w.Describe = fmt.Sprintf("%s cachegrind, whole process (GC on), (count(%d requests) - count(%d)) / %d, sequential requests, GOMAXPROCS=1, no ASLR",
		strings.TrimSpace(string(version)), n[1], n[0], n[1]-n[0])
	return w, nil
}

// cpuTime measures CPU time per request from /proc over N sequential
// requests to a live process (after one warm-up request). It is time,
// not instructions: it varies with the machine and its load.
func (p WorkPhase) cpuTime(ctx context.Context, spec ServiceSpec) (Work, error) {
	var before time.Duration
	count, err := p.run(ctx, spec, max(1, p.Requests/10), func(svc *Service) (float64, error) {
		var err error
		before, err = ProcCPU(svc.PID)
		if err != nil {
			return 0, err
		}
		if err := sequential(ctx, svc, p.requests(), len(p.Traffic) > 0, p.Requests); err != nil {
			return 0, err
		}
		after, err := ProcCPU(svc.PID)
		if err != nil {
			return 0, err
		}
		return float64(after - before), nil
	})
	if err != nil {
		return Work{}, err
	}
	return Work{
		Backend: counter.TaskClockName, Unit: "ns", Requests: []int{p.Requests}, Counts: []float64{count},
		PerRequest: count / float64(p.Requests),
		Describe:   fmt.Sprintf("process CPU time (utime+stime from /proc, 10ms resolution) over %d sequential requests: time, not instructions", p.Requests),
	}, nil
}

// run starts the service, waits until it answers, sends reqs sequential
// requests and calls finish, which reads the count; the process is
// stopped afterwards in any case.
func (p WorkPhase) run(ctx context.Context, spec ServiceSpec, reqs int, finish func(*Service) (float64, error)) (float64, error) {
	svc, err := Start(spec)
	if err != nil {
		return 0, err
	}
	defer svc.Stop()
	if err := svc.WaitReady(ctx, p.Paths[0], p.Ready); err != nil {
		return 0, err
	}
	if err := sequential(ctx, svc, p.requests(), len(p.Traffic) > 0, reqs); err != nil {
		return 0, err
	}
	return finish(svc)
}

func (p WorkPhase) requests() []traffic.Request {
	if len(p.Traffic) > 0 {
		return p.Traffic
	}
	return getRequests(p.Paths)
}

// sequential sends n requests one after the other, round robin; any
// failure is an error, since a failing request does different work. A
// 4xx answer is a failure for a GET of a -path, not for recorded traffic
// (the recording has them).
func sequential(ctx context.Context, svc *Service, reqs []traffic.Request, recorded bool, n int) error {
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	limit := 400
	if recorded {
		limit = 500
	}
	for i := 0; i < n; i++ {
		r := reqs[i%len(reqs)]
		url := "http://" + svc.Addr + r.URL
		req, err := http.NewRequestWithContext(ctx, r.Method, url, bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		req.Header = r.Header.Clone()
		if req.Header == nil {
			req.Header = http.Header{}
		}
		resp, err := client.Do(req)
		if err != nil {
			if done, exitErr := svc.Exited(); done {
				return exitErr
			}
			return fmt.Errorf("%s: %s %s: %w", svc.Label, r.Method, url, err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s: %s %s: reading the response: %w", svc.Label, r.Method, url, err)
		}
		if resp.StatusCode >= limit {
			return fmt.Errorf("%s: %s %s: %s", svc.Label, r.Method, url, resp.Status)
		}
	}
	return nil
}

func uname() string {
	out, err := exec.Command("uname", "-m").Output()
	if err != nil {
		return runtime.GOARCH
	}
	return strings.TrimSpace(string(out))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
