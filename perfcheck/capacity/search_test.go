package capacity

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// fakeService is a service with a known capacity: below limit it keeps up
// with 1ms p99; above it, latency explodes and it completes only limit
// requests per second, like a saturated server.
type fakeService struct {
	limit float64
	// flaky, when set, decides per probe whether a rate within the limit
	// fails anyway (a noisy neighbour).
	flaky  func(rate float64, attempt int) bool
	probes map[float64]int
}

func (f *fakeService) probe(ctx context.Context, rate float64) (Step, error) {
	if f.probes == nil {
		f.probes = map[float64]int{}
	}
	f.probes[rate]++
	s := Step{Requests: int(rate * 3), P50: time.Millisecond / 2, P99: time.Millisecond, CPU: math.Min(1, rate/f.limit), PeakRSS: 10 << 20}
	if rate <= f.limit && (f.flaky == nil || !f.flaky(rate, f.probes[rate])) {
		s.Achieved = rate
		return s, nil
	}
	s.Achieved = math.Min(rate, f.limit) * 0.9
	s.P99 = time.Second
	return s, nil
}

func testSearchConfig() SearchConfig {
	c := DefaultSearchConfig()
	c.Start, c.Max, c.Tolerance = 100, 100000, 0.05
	return c
}

// checkBracket asserts the search bracketed the true limit within the
// tolerance: the capacity passed (so it is at most the limit) and the
// confirmed failure is above the limit.
func checkBracket(t *testing.T, res Search, limit, tol float64) {
	t.Helper()
	if res.Capacity > limit {
		t.Errorf("capacity %.1f is above the true limit %.1f", res.Capacity, limit)
	}
	if res.Capacity < limit/(1+tol) {
		t.Errorf("capacity %.1f is below limit/(1+tolerance) = %.1f", res.Capacity, limit/(1+tol))
	}
	if res.FirstFail == nil || res.FirstFail.Rate <= limit {
		t.Errorf("first failure %+v should be above the limit %.1f", res.FirstFail, limit)
	}
	if res.AtCapacity == nil || !res.AtCapacity.Pass || res.AtCapacity.Rate != res.Capacity {
		t.Errorf("AtCapacity %+v does not match capacity %.1f", res.AtCapacity, res.Capacity)
	}
}

func TestSearchFindsKnownLimit(t *testing.T) {
	for _, limit := range []float64{150, 1234, 5000, 77777} {
		f := &fakeService{limit: limit}
		res, err := RunSearch(context.Background(), f.probe, testSearchConfig())
		if err != nil {
			t.Fatal(err)
		}
		checkBracket(t, res, limit, 0.05)
		if res.Capped || res.Exhausted {
			t.Errorf("limit %v: capped=%v exhausted=%v", limit, res.Capped, res.Exhausted)
		}
	}
}

func TestSearchRampsDownFromFailingStart(t *testing.T) {
	f := &fakeService{limit: 7}
	cfg := testSearchConfig()
	cfg.Min = 0.5
	res, err := RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkBracket(t, res, 7, 0.05)
}

func TestSearchNothingPasses(t *testing.T) {
	f := &fakeService{limit: 0.1}
	cfg := testSearchConfig()
	cfg.Min = 10
	res, err := RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capacity != 0 || res.AtCapacity != nil || res.FirstFail == nil {
		t.Errorf("got capacity %v, at %+v, fail %+v; want 0, nil, the lowest failure", res.Capacity, res.AtCapacity, res.FirstFail)
	}
	if _, err := Decide(res, res, 0, nil, nil, Constraint{}); err == nil || !strings.Contains(err.Error(), "no rate") {
		t.Errorf("Decide with a base of no capacity: err = %v", err)
	}
}

func TestSearchCapped(t *testing.T) {
	f := &fakeService{limit: 1e9}
	cfg := testSearchConfig()
	cfg.Max = 1000
	res, err := RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Capped || res.Capacity != 1000 || res.FirstFail != nil {
		t.Errorf("got capped=%v capacity=%v fail=%+v; want capped at 1000", res.Capped, res.Capacity, res.FirstFail)
	}
}

// A neighbour that makes the first probe of every rate fail: with one
// retry the search still finds the limit exactly as without noise.
func TestSearchRetriesSpuriousFailures(t *testing.T) {
	f := &fakeService{limit: 2500, flaky: func(rate float64, attempt int) bool { return attempt == 1 }}
	res, err := RunSearch(context.Background(), f.probe, testSearchConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkBracket(t, res, 2500, 0.05)
	retries := 0
	for _, s := range res.Steps {
		if s.Retry {
			retries++
		}
	}
	if retries == 0 {
		t.Error("no step was retried")
	}
	// Without retries the same noise makes the very first step fail.
	cfg := testSearchConfig()
	cfg.Retries = 0
	cfg.Min = 1
	f = &fakeService{limit: 2500, flaky: func(rate float64, attempt int) bool { return attempt == 1 }}
	res, err = RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capacity != 0 {
		t.Errorf("without retries every rate fails once, so nothing passes; got capacity %v", res.Capacity)
	}
}

// Non-monotonic noise: random failures below the limit (never passes
// above it, as on a shared machine). The search must never report more
// than the limit and, with retries, rarely much less.
func TestSearchRandomNoise(t *testing.T) {
	const limit = 3000.0
	far := 0
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		f := &fakeService{limit: limit, flaky: func(float64, int) bool { return rng.Float64() < 0.2 }}
		res, err := RunSearch(context.Background(), f.probe, testSearchConfig())
		if err != nil {
			t.Fatal(err)
		}
		if res.Capacity > limit {
			t.Fatalf("seed %d: capacity %v above the limit", seed, res.Capacity)
		}
		if res.Capacity < 0.8*limit {
			far++
		}
	}
	// A double failure (p = 0.04 per rate) can end a search early; most
	// searches must still land within 20% of the limit.
	if far > 8 {
		t.Errorf("%d of 40 noisy searches ended below 80%% of the limit", far)
	}
}

func TestSearchStepsAreJudged(t *testing.T) {
	f := &fakeService{limit: 800}
	var seen []Step
	cfg := testSearchConfig()
	cfg.OnStep = func(s Step) { seen = append(seen, s) }
	res, err := RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(res.Steps) {
		t.Fatalf("OnStep saw %d steps, result has %d", len(seen), len(res.Steps))
	}
	for _, s := range res.Steps {
		if s.Pass != (s.Rate <= 800) {
			t.Errorf("step at %v: pass=%v (%s)", s.Rate, s.Pass, s.Why)
		}
		if !s.Pass && s.Fail != FailLatency {
			t.Errorf("step at %v failed on %s, want latency first", s.Rate, s.Fail)
		}
	}
}

func TestSearchMaxSteps(t *testing.T) {
	f := &fakeService{limit: 1000}
	cfg := testSearchConfig()
	cfg.MaxSteps = 6
	res, err := RunSearch(context.Background(), f.probe, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Exhausted || len(res.Steps) != 6 {
		t.Errorf("exhausted=%v after %d steps; want true after 6", res.Exhausted, len(res.Steps))
	}
	if res.Capacity > 1000 || res.Capacity < 400 {
		t.Errorf("capacity %v: want the best bracket so far (800)", res.Capacity)
	}
}

func TestSearchProbeErrorAndCancel(t *testing.T) {
	boom := errors.New("service exited")
	_, err := RunSearch(context.Background(), func(context.Context, float64) (Step, error) { return Step{}, boom }, testSearchConfig())
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "100 req/s") {
		t.Errorf("err = %v; want the probe's error with the rate", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeService{limit: 1e6}
	n := 0
	_, err = RunSearch(ctx, func(ctx context.Context, r float64) (Step, error) {
		if n++; n == 3 {
			cancel()
		}
		return f.probe(ctx, r)
	}, testSearchConfig())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
}

func TestSearchConfigValidation(t *testing.T) {
	for _, mod := range []func(*SearchConfig){
		func(c *SearchConfig) { c.Start = 0 },
		func(c *SearchConfig) { c.Max = 10 },
		func(c *SearchConfig) { c.Factor = 1 },
		func(c *SearchConfig) { c.Tolerance = 0 },
		func(c *SearchConfig) { c.Retries = -1 },
		func(c *SearchConfig) { c.Min = 1000 },
	} {
		c := testSearchConfig()
		mod(&c)
		if _, err := RunSearch(context.Background(), (&fakeService{limit: 1}).probe, c); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}

func TestJudge(t *testing.T) {
	c := Criteria{SLO: 100 * time.Millisecond, MaxErrorRate: 0.001, MinAchieved: 0.99, MemBudget: 64 << 20}
	ok := Step{Rate: 1000, Achieved: 995, Requests: 3000, P99: 50 * time.Millisecond, PeakRSS: 32 << 20}
	cases := []struct {
		name string
		mod  func(*Step)
		want Failure
	}{
		{"pass", func(*Step) {}, ""},
		{"memory before latency", func(s *Step) { s.PeakRSS = 65 << 20; s.P99 = time.Second }, FailMemory},
		{"errors", func(s *Step) { s.Errors = 4 }, FailErrors},
		{"errors at the limit pass", func(s *Step) { s.Errors = 3 }, ""},
		{"latency", func(s *Step) { s.P99 = 101 * time.Millisecond }, FailLatency},
		{"throughput", func(s *Step) { s.Achieved = 989 }, FailThroughput},
	}
	for _, tc := range cases {
		s := ok
		tc.mod(&s)
		c.Judge(&s)
		if s.Fail != tc.want || s.Pass != (tc.want == "") || (s.Why == "") != s.Pass {
			t.Errorf("%s: pass=%v fail=%q why=%q; want fail %q", tc.name, s.Pass, s.Fail, s.Why, tc.want)
		}
	}
}

func TestAlternatorAlternates(t *testing.T) {
	a := newAlternator()
	var order []int
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() {
			for k := 0; k < 5; k++ {
				a.wait(i)
				order = append(order, i) // guarded by the turn
				a.pass(i)
			}
			a.finish(i)
			done <- true
		}()
	}
	<-done
	<-done
	for k, v := range order {
		if v != k%2 {
			t.Fatalf("order %v does not alternate starting with 0", order)
		}
	}
}
