package capacity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
	"github.com/upshift-dev/upshift/perfcheck/service"
)

// Config is one capacity comparison.
type Config struct {
	// Dir is the directory revisions and relative paths resolve against
	// (the module, or a directory in its repository).
	Dir string
	// Base and Head are git revisions or directories.
	Base, Head string
	// Pkg is the service's main package, relative to each side's Dir.
	Pkg string
	// Budget is the CPU and memory budget of both sides.
	Budget Budget
	// Load and Search shape the steps and the rate search; Search.Criteria
	// MemBudget is set from Budget.Memory.
	Load   Load
	Search SearchConfig
	// Target is the required capacity change head/base - 1.
	Target float64
	// Trials is how many times both capacities are measured: the first
	// trial is the full interleaved search, the others short searches
	// near the capacity found. With 2 or more the verdict is on the
	// confidence interval of the change (DecideTrials); 1 is a single
	// point comparison (Decide), which a neighbour on the machine can
	// flip.
	Trials int
	// Confidence is the level of the intervals (0.95).
	Confidence float64
	// Work is the fixed-work phase; a Backend of "none" skips it.
	Work WorkPhase
	// MetricsPath, when set, is the URL path where the service serves
	// the perfcheck/middleware snapshot (handler work per request).
	MetricsPath string
	// Ready bounds how long a service may take to listen.
	Ready time.Duration
	// Progress, when set, receives a line per step.
	Progress io.Writer
}

// A Side is one version's results.
type Side struct {
	// Label is base or head; Spec what the user gave.
	Label string `json:"label"`
	Spec  string `json:"spec"`
	// Search is the rate search; Bound what limits it.
	Search Search     `json:"search"`
	Bound  Constraint `json:"bound"`
	// Work is the fixed-work phase (nil when skipped).
	Work *Work `json:"work,omitempty"`
	// Handler is the middleware's per-request handler work (nil when
	// -metrics was not given).
	Handler *HandlerWork `json:"handler,omitempty"`
	// Capacities are the capacities of every trial; Interval their
	// median with its confidence interval (nil with too few trials).
	Capacities []float64 `json:"capacities"`
	Interval   *Interval `json:"interval,omitempty"`
}

// Report is the outcome of a comparison.
type Report struct {
	Base Side `json:"base"`
	Head Side `json:"head"`
	// Budget the sides ran under; CPUSet names the CPUs.
	CPUs   int    `json:"cpus"`
	CPUSet string `json:"cpu_set"`
	Memory int64  `json:"memory"`
	// Criteria are the step pass criteria.
	SLO          time.Duration `json:"slo_p99_ns"`
	MaxErrorRate float64       `json:"max_error_rate"`
	Window       time.Duration `json:"window_ns"`
	Warmup       time.Duration `json:"warmup_ns"`
	Verdict      Verdict       `json:"verdict"`
	// Trials are the repeated measurements, the first being the full
	// search; Elapsed the wall time of all of them (the cost of the
	// repetition against a single trial).
	Trials  []Trial       `json:"trials"`
	Elapsed time.Duration `json:"elapsed_ns"`
	// Notes say where the measurement deviates from the design (no CPU
	// affinity, no handler metrics, ...).
	Notes []string `json:"notes,omitempty"`
}

// Run builds and starts both sides, searches their capacities with
// interleaved steps, measures their work per request, and decides.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	rep := &Report{
		Base: Side{Label: "base", Spec: cfg.Base}, Head: Side{Label: "head", Spec: cfg.Head},
		CPUs: cfg.Budget.CPUs, Memory: cfg.Budget.Memory,
		SLO: cfg.Search.Criteria.SLO, MaxErrorRate: cfg.Search.Criteria.MaxErrorRate,
		Window: cfg.Load.Window, Warmup: cfg.Load.Warmup,
	}
	cfg.Search.Criteria.MemBudget = cfg.Budget.Memory
	if err := supported(); err != nil {
		return nil, err
	}
	set, desc, err := PickCPUs(cfg.Budget.CPUs)
	if err != nil {
		return nil, err
	}
	rep.CPUSet = desc
	if err := CanPin(set); err != nil {
		// GOMAXPROCS still bounds the Go scheduler; the services just may
		// run on any CPU, and the load generator shares them.
		rep.Notes = append(rep.Notes, fmt.Sprintf("CPU affinity could not be set (%v): the budget is GOMAXPROCS=%d only", err, cfg.Budget.CPUs))
		rep.CPUSet = "any CPU"
		set = nil
	}
	binDir, err := os.MkdirTemp("", "upshift-capacity-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(binDir)

	sides := []*Side{&rep.Base, &rep.Head}
	specs := make([]ServiceSpec, 2)
	for i, sd := range sides {
		cfg.progress("building %s (%s)", sd.Label, sd.Spec)
		bin, pkgDir, cleanup, err := service.BuildVersion(ctx, cfg.Dir, sd.Spec, cfg.Pkg, binDir, sd.Label)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		env := counter.MergeEnv(os.Environ(),
			"GOMAXPROCS="+strconv.Itoa(cfg.Budget.CPUs),
			"GOMEMLIMIT="+strconv.FormatInt(cfg.Budget.Memory, 10))
		env = counter.AddGODEBUG(env, "gctrace=1")
		specs[i] = ServiceSpec{Label: sd.Label, Bin: bin, Dir: pkgDir, Env: env, CPUSet: set}
	}

	restore := func() {}
	if set != nil {
		var note string
		restore, note = PinProcess(set)
		if note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	err = measure(ctx, cfg, specs, sides, rep)
	restore()
	if err != nil {
		return nil, err
	}

	if cfg.Work.Backend != "none" {
		for i, sd := range sides {
			cfg.progress("%s: measuring work per request (%s, %d requests)", sd.Label, cfg.Work.Backend, cfg.Work.Requests)
			w, err := cfg.Work.Measure(ctx, specs[i])
			if err != nil {
				return nil, fmt.Errorf("%s: fixed-work phase: %w", sd.Label, err)
			}
			sd.Work = &w
		}
	}
	if cfg.MetricsPath != "" {
		for i, sd := range sides {
			h, err := measureHandler(ctx, cfg, specs[i])
			if err != nil {
				return nil, fmt.Errorf("%s: handler metrics: %w", sd.Label, err)
			}
			sd.Handler = h
		}
	}
	for _, sd := range sides {
		sd.Bound = Attribute(sd.Search, cfg.Search.Criteria, cfg.Budget.CPUs)
		if st := sd.Search.AtCapacity; st != nil && st.CPUWait >= 0.1 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the machine was busy: at its capacity %s waited %.2f CPU for a CPU other processes held; capacities are lower than on a quiet machine (both sides alternate, so the comparison holds better than the absolute numbers)", sd.Label, st.CPUWait))
		}
	}
	rep.Verdict, err = Decide(rep.Base.Search, rep.Head.Search, cfg.Target, rep.Base.Work, rep.Head.Work, rep.Head.Bound)
	if err != nil {
		return rep, err
	}
	if cfg.Trials > 1 {
		story := rep.Verdict.Story
		rep.Verdict = DecideTrials(rep.Trials, cfg.Target, cfg.Confidence)
		if rep.Verdict.Outcome == OutcomeFail {
			rep.Verdict.Story = story
		}
	} else {
		rep.Verdict.Noise = &rep.Trials[0].Noise
		rep.Verdict.NoiseWhy = rep.Trials[0].Noise.noisy()
	}
	return rep, nil
}

// measure runs the trials: the interleaved full search of both sides,
// then cfg.Trials-1 short ones, on the same two running services.
func measure(ctx context.Context, cfg Config, specs []ServiceSpec, sides []*Side, rep *Report) error {
	start := time.Now()
	runners := make([]*runner, 2)
	for i, spec := range specs {
		runners[i] = &runner{spec: spec, load: cfg.Load, criteria: cfg.Search.Criteria, path: cfg.Load.Paths[0], ready: cfg.Ready}
		defer runners[i].stop()
		// Start both up front, so a side that does not build a working
		// service fails the run before any load is offered.
		if err := runners[i].start(ctx); err != nil {
			return err
		}
	}
	if err := searchBoth(ctx, cfg, runners, sides); err != nil {
		return err
	}
	first := newTrial(sides[0].Search, sides[1].Search, "interleaved", append(slices.Clone(sides[0].Search.Steps), sides[1].Search.Steps...))
	first.Elapsed = time.Since(start)
	trials := []Trial{first}
	if cfg.Trials > 1 && first.Valid && !sides[0].Search.Capped {
		var err error
		trials, err = runTrials(ctx, cfg, runners, sides, first)
		if err != nil {
			return err
		}
	}
	rep.Trials = trials
	for _, t := range trials {
		sides[0].Capacities = append(sides[0].Capacities, t.Base)
		sides[1].Capacities = append(sides[1].Capacities, t.Head)
	}
	if len(trials) > 1 {
		for _, sd := range sides {
			sd.Interval, _ = medianInterval(sd.Capacities, cfg.Confidence)
		}
	}
	rep.Elapsed = time.Since(start)
	return nil
}

// searchBoth starts both services and runs their rate searches with
// steps interleaved (base, head, base, ...), so that drift in the
// machine's speed (other processes, thermal limits) hits both sides
// alike. Only one side is under load at any time.
func searchBoth(ctx context.Context, cfg Config, runners []*runner, sides []*Side) error {
	res, err := interleave(ctx, cfg, runners, sides, [2]SearchConfig{cfg.Search, cfg.Search}, 0, "")
	sides[0].Search, sides[1].Search = res[0], res[1]
	return err
}

// interleave runs one rate search per side with their steps alternating,
// side first taking the first step; prefix starts progress lines.
func interleave(ctx context.Context, cfg Config, runners []*runner, sides []*Side, scs [2]SearchConfig, first int, prefix string) ([2]Search, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	turn := newAlternator()
	turn.turn = first
	var res [2]Search
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range sides {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer turn.finish(i)
			probe := runners[i].probe
			sc := scs[i]
			sc.OnStep = func(s Step) { cfg.progress("%s%s: %s", prefix, sides[i].Label, stepLine(s)) }
			r, err := RunSearch(ctx, func(ctx context.Context, rate float64) (Step, error) {
				turn.wait(i)
				defer turn.pass(i)
				return probe(ctx, rate)
			}, sc)
			res[i] = r
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", sides[i].Label, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	// The first error that is not the other side's cancellation.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return res, err
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, errors.Join(errs...)
}

// runner runs one side's service for the search. After a failing step
// the service is restarted before the next one: an overload leaves a
// backlog, a grown heap and RSS the Go runtime keeps, which would make
// the next (lower) rate fail for the previous step's sake.
type runner struct {
	spec     ServiceSpec
	load     Load
	criteria Criteria
	path     string
	ready    time.Duration
	svc      *Service
}

func (r *runner) start(ctx context.Context) error {
	svc, err := Start(r.spec)
	if err != nil {
		return err
	}
	r.svc = svc
	if err := svc.WaitReady(ctx, r.path, r.ready); err != nil {
		r.stop()
		return err
	}
	return nil
}

func (r *runner) stop() {
	if r.svc != nil {
		r.svc.Stop()
		r.svc = nil
	}
}

func (r *runner) probe(ctx context.Context, rate float64) (Step, error) {
	if r.svc == nil {
		if err := r.start(ctx); err != nil {
			return Step{}, err
		}
	}
	s, err := r.load.ServiceProbe(r.svc)(ctx, rate)
	if err != nil {
		return s, err
	}
	judged := s
	judged.Rate = rate
	r.criteria.Judge(&judged)
	if !judged.Pass {
		r.stop()
	}
	return s, nil
}

// alternator lets two searches take turns.
type alternator struct {
	mu   sync.Mutex
	cond *sync.Cond
	turn int
	done [2]bool
}

func newAlternator() *alternator {
	a := &alternator{}
	a.cond = sync.NewCond(&a.mu)
	return a
}

// wait blocks until it is party i's turn or the other party finished.
func (a *alternator) wait(i int) {
	a.mu.Lock()
	for a.turn != i && !a.done[1-i] {
		a.cond.Wait()
	}
	a.mu.Unlock()
}

// pass hands the turn to the other party.
func (a *alternator) pass(i int) {
	a.mu.Lock()
	a.turn = 1 - i
	a.cond.Broadcast()
	a.mu.Unlock()
}

// finish marks party i as done, so the other never waits for it.
func (a *alternator) finish(i int) {
	a.mu.Lock()
	a.done[i] = true
	a.turn = 1 - i
	a.cond.Broadcast()
	a.mu.Unlock()
}

func (c Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "upshift perf capacity: "+format+"\n", args...)
	}
}

func stepLine(s Step) string {
	verdict := "pass"
	if !s.Pass {
		verdict = "FAIL " + string(s.Fail)
	}
	retry := ""
	if s.Retry {
		retry = " (retry)"
	}
	return fmt.Sprintf("%7.0f req/s%s: %s; achieved %.0f, p99 %s, errors %d, CPU %.2f (+%.2f wait), GC %.0f%%, RSS %s",
		s.Rate, retry, verdict, s.Achieved, FormatDuration(s.P99), s.Errors, s.CPU, s.CPUWait, 100*s.GCShare, FormatBytes(s.PeakRSS))
}
