package capacity

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// testConfig compares two of the synthetic services in testdata/svc with
// short steps and a coarse tolerance, to keep the test short; the budget
// is 1 CPU and 64 MiB.
func testConfig(t *testing.T, base, head string) Config {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("perf capacity reads /proc: Linux only")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	sc := DefaultSearchConfig()
	sc.Start, sc.Tolerance = 400, 0.15
	sc.Criteria.SLO = 250 * time.Millisecond
	backend, err := SelectWork(context.Background(), counter.AutoName)
	if err != nil {
		t.Fatal(err)
	}
	requests := 15
	if backend == counter.TaskClockName {
		requests = 300
	}
	return Config{
		Dir: "testdata/svc", Base: base, Head: head, Pkg: ".",
		Budget: Budget{CPUs: 1, Memory: 64 << 20},
		Load: Load{Paths: []string{"/work"}, Warmup: 200 * time.Millisecond, Window: 700 * time.Millisecond,
			Timeout: 2 * time.Second, MaxWorkers: 256, Cooldown: 100 * time.Millisecond},
		Search: sc, Target: 0, Ready: 20 * time.Second,
		Work: WorkPhase{Backend: backend, Requests: requests, Paths: []string{"/work"}, Ready: time.Minute},
	}
}

// The synthetic services: base does a fixed amount of arithmetic per
// request. heada does 40% less but keeps 1 MiB per request for 100ms, so
// under 64 MiB its capacity is a fraction of base's although its work per
// request fell: the gate must fail and name memory. headb really is
// cheaper: the gate must pass. Capacities differ by 2-5x, so machine
// noise cannot flip the outcome.
func TestCapacityIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real services under load for about a minute")
	}
	t.Run("faster per request, no capacity", func(t *testing.T) {
		rep, err := Run(context.Background(), testConfig(t, "base", "heada"))
		if err != nil {
			t.Fatal(err)
		}
		logReport(t, rep)
		if rep.Verdict.Pass {
			t.Errorf("heada passed: %s", rep.Verdict.Summary)
		}
		if rep.Head.Bound.Bound != BoundMemory {
			t.Errorf("heada bound by %s (%s); want memory/GC", rep.Head.Bound.Bound, rep.Head.Bound.Why)
		}
		if rep.Base.Work.PerRequest <= rep.Head.Work.PerRequest {
			t.Errorf("heada work/request %.0f not below base %.0f (%s)", rep.Head.Work.PerRequest, rep.Base.Work.PerRequest, rep.Head.Work.Backend)
		}
		if !strings.Contains(rep.Verdict.Story, "fell") || !strings.Contains(rep.Verdict.Story, "memory/GC") {
			t.Errorf("story %q should say the work fell and memory/GC binds", rep.Verdict.Story)
		}
	})
	t.Run("really cheaper", func(t *testing.T) {
		rep, err := Run(context.Background(), testConfig(t, "base", "headb"))
		if err != nil {
			t.Fatal(err)
		}
		logReport(t, rep)
		if !rep.Verdict.Pass || rep.Verdict.Change < 0.2 {
			t.Errorf("headb: %s; want a pass with at least +20%%", rep.Verdict.Summary)
		}
	})
}

func logReport(t *testing.T, rep *Report) {
	var b strings.Builder
	rep.WriteText(&b)
	t.Log("\n" + b.String())
}

func TestCapacityErrors(t *testing.T) {
	cases := []struct {
		head  string
		words []string
	}{
		{"crash", []string{"head service exit status 3", "no such file or directory"}},
		{"silent", []string{"never answered", "127.0.0.1", "warming caches"}},
		{"broken", []string{"head (broken)", "go build", "cannot use"}},
		{"nosuchdir", []string{"head", "nosuchdir"}},
	}
	for _, tc := range cases {
		t.Run(tc.head, func(t *testing.T) {
			cfg := testConfig(t, "base", tc.head)
			cfg.Ready = 2 * time.Second
			start := time.Now()
			_, err := Run(context.Background(), cfg)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if d := time.Since(start); d > time.Minute {
				t.Errorf("took %s", d)
			}
		})
	}
}
