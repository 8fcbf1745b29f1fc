// Package bench compares the Go benchmarks of two versions of a module
// by the instructions they execute per operation.
//
// Both versions are built with go test -c (a git revision is exported to
// a temporary directory; the user's checkout is never touched). Then,
// for each of Count rounds, base and head run in turn, each in fresh
// processes:
//
//   - once natively for ns/op, B/op and allocs/op (-test.benchmem);
//   - per benchmark, twice under the counter backend, for exactly
//     baseIterations and baseIterations+N iterations (-test.benchtime=Nx).
//     The difference of the two counts divided by N is the benchmark's
//     instructions per operation: process start-up, benchmark setup and
//     the testing package's forced GCs are the same in both runs and
//     cancel out.
//
// Counted runs use GOMAXPROCS=1, GODEBUG=asyncpreemptoff=1 and, unless
// Config.GC is set, GOGC=off.
//
// The samples are compared as benchstat does (golang.org/x/perf/benchmath:
// medians, order-statistic confidence intervals, Mann-Whitney U), with a
// Holm-Bonferroni correction across benchmarks, and the verdict gates on
// the confidence bound of the change, not on the point estimate.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// Defaults of Config.
const (
	DefaultCount      = 10
	DefaultBenchTime  = "100ms"
	DefaultAlpha      = 0.05
	DefaultConfidence = 0.95
)

const (
	// calibrationTime is the native time of the first counted runs,
	// which only estimate the events per operation.
	calibrationTime = 2 * time.Millisecond
	// calibrationCount is how many events (instructions, or ns for
	// taskclock) the counted difference should cover.
	calibrationCount = 1e8
	// maxCountedHeap bounds what a counted run with GC off may allocate.
	maxCountedHeap = 1 << 30
)

// Config configures Run.
type Config struct {
	// Dir is the user's module directory. Revisions resolve against the
	// git repository that contains it; relative directories against it.
	Dir string
	// Base and Head are the versions: git revisions or directories.
	Base, Head string
	// Packages are package patterns, relative to the module (default ".").
	Packages []string
	// Bench is the -test.bench regexp selecting benchmarks (default ".").
	Bench string
	// Count is the number of rounds, i.e. samples per side (default 10).
	Count int
	// Threshold is the relative regression to tolerate, e.g. 0.01.
	Threshold float64
	// Backend counts instructions; nil compares ns/op only.
	Backend counter.Backend
	// Iterations is N, the difference in iterations between the two
	// counted runs; 0 calibrates it so that the counted difference is
	// about calibrationCount events, measured on base before the first
	// round.
	Iterations int
	// BenchTime is -test.benchtime of the native runs (default 100ms).
	BenchTime string
	// GC keeps the garbage collector on in counted runs: the counts then
	// include GC work, and vary more.
	GC bool
	// Alpha and Confidence default to 0.05 and 0.95.
	Alpha, Confidence float64
	// Progress, when not nil, receives a line per step.
	Progress io.Writer
}

// ErrNoBenchmarks is returned when no benchmark exists in both versions.
var ErrNoBenchmarks = errors.New("no benchmarks matched")

// Report is the outcome of Run.
type Report struct {
	// Backend names what counted the primary unit ("none" without one)
	// and Describe says how.
	Backend string `json:"backend"`
	// Describe says how the backend measured.
	Describe string `json:"backend_description"`
	// Base and Head are the versions as given.
	Base string `json:"base"`
	Head string `json:"head"`
	// Count is the number of rounds (samples per side).
	Count int `json:"count"`
	// Threshold is the relative regression tolerated.
	Threshold float64 `json:"threshold"`
	// GateUnit is the unit whose regressions decide the verdict:
	// instructions/op with an instruction backend.
	GateUnit string `json:"gate_unit"`
	// GC is true when counted runs kept the garbage collector on.
	GC bool `json:"gc"`
	// Iterations is N of the counted runs, per benchmark key
	// ("pkg.Name").
	Iterations map[string]int `json:"iterations,omitempty"`
	// Comparisons holds one verdict per benchmark and unit, the gated
	// unit's first.
	Comparisons []Comparison `json:"comparisons"`
	// Regressions counts the gated regressions; Run's caller exits 1
	// when it is not zero.
	Regressions int `json:"regressions"`
	// Notes say what was not compared (benchmarks or packages in one
	// version only) and how the backend deviated from its defaults.
	Notes []string `json:"notes,omitempty"`

	// runs are every measurement, in the order taken, for the
	// benchmark-format file.
	runs    []run
	configs map[string]fileConfig // by package
	units   []string
}

// run is one side's figures for one benchmark in one round.
type run struct {
	round   int
	side    string
	pkg     string
	name    string
	iters   int
	units   []string
	values  map[string]float64
	backend string
}

type runner struct {
	cfg     Config
	backend counter.Backend
	procs   int
	// bytesPerOp is base's B/op from the first native run.
	bytesPerOp map[benchKey]float64
}

// Run builds base and head, runs their benchmarks interleaved and
// compares them.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Base == "" || cfg.Head == "" {
		return nil, errors.New("both base and head are required")
	}
	if len(cfg.Packages) == 0 {
		cfg.Packages = []string{"."}
	}
	if cfg.Bench == "" {
		cfg.Bench = "."
	}
	if cfg.Count <= 0 {
		cfg.Count = DefaultCount
	}
	if cfg.BenchTime == "" {
		cfg.BenchTime = DefaultBenchTime
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = DefaultAlpha
	}
	if cfg.Confidence == 0 {
		cfg.Confidence = DefaultConfidence
	}
	r := &runner{cfg: cfg, backend: cfg.Backend, procs: runtime.GOMAXPROCS(0)}
	sides := []*side{{label: "base", spec: cfg.Base}, {label: "head", spec: cfg.Head}}
	defer func() {
		for _, s := range sides {
			if s.cleanup != nil {
				s.cleanup()
			}
		}
	}()
	binDir, err := os.MkdirTemp("", "upshift-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(binDir)
	for _, s := range sides {
		r.progress("building %s (%s)", s.label, s.spec)
		if err := s.materialize(ctx, cfg.Dir); err != nil {
			return nil, err
		}
		if err := s.build(ctx, cfg.Packages, binDir); err != nil {
			return nil, err
		}
	}
	return r.measure(ctx, sides)
}

func (r *runner) progress(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "upshift perf bench: "+format+"\n", args...)
	}
}

func (r *runner) runPlain(ctx context.Context, c counter.Command) error {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = c.Env, c.Dir, c.Stdout, c.Stderr
	return cmd.Run()
}

// benchKey identifies a benchmark across versions.
type benchKey struct{ pkg, name string }

func (k benchKey) String() string { return k.pkg + ".Benchmark" + k.name }

// measure runs the rounds and compares.
func (r *runner) measure(ctx context.Context, sides []*side) (*Report, error) {
	rep := &Report{
		Backend: "none", Base: r.cfg.Base, Head: r.cfg.Head, Count: r.cfg.Count,
		Threshold: r.cfg.Threshold, GC: r.cfg.GC, GateUnit: "ns/op",
		configs: map[string]fileConfig{},
	}
	if r.backend != nil {
		rep.Backend, rep.Describe = r.backend.Name(), r.backend.Describe()
		rep.GateUnit = eventUnit(r.backend.Events()[0])
		rep.Iterations = map[string]int{}
	}
	base, head := sides[0], sides[1]
	var pkgs []string
	for _, b := range base.binaries {
		if head.binary(b.importPath) != nil {
			pkgs = append(pkgs, b.importPath)
		} else {
			rep.Notes = append(rep.Notes, fmt.Sprintf("package %s has tests only in base", b.importPath))
		}
	}
	for _, b := range head.binaries {
		if base.binary(b.importPath) == nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("package %s has tests only in head", b.importPath))
		}
	}

	var keys []benchKey // benchmarks present in both versions, in base order
	iterations := map[benchKey]int{}
	noteSeen := map[string]bool{}

	for round := 1; round <= r.cfg.Count; round++ {
		for _, pkg := range pkgs {
			var native [2][]*result
			for si, s := range sides {
				r.progress("round %d/%d: %s %s (native)", round, r.cfg.Count, s.label, pkg)
				res, fc, err := r.runNative(ctx, s, s.binary(pkg))
				if err != nil {
					return nil, err
				}
				native[si] = res
				if fc.pkg != "" {
					rep.configs[pkg] = fc
				}
			}
			if round == 1 {
				found := r.discover(rep, pkg, native, iterations)
				if err := r.calibrateCounted(ctx, base, found, iterations); err != nil {
					return nil, err
				}
				keys = append(keys, found...)
			}
			for si := range sides {
				for _, res := range native[si] {
					k := benchKey{pkg, res.name}
					if _, ok := iterations[k]; !ok {
						continue
					}
					rep.runs = append(rep.runs, run{round: round, side: sides[si].label, pkg: pkg, name: res.name, iters: res.iters, units: res.units, values: res.values, backend: rep.Backend})
				}
			}
			if r.backend == nil {
				continue
			}
			for _, k := range keys {
				if k.pkg != pkg {
					continue
				}
				for _, s := range sides {
					r.progress("round %d/%d: %s %s (%s, %d and %d iterations)", round, r.cfg.Count, s.label, k, r.backend.Name(), baseIterations, baseIterations+iterations[k])
					per, notes, err := r.countPerOp(ctx, s, s.binary(pkg), k.name, iterations[k])
					if err != nil {
						return nil, err
					}
					for _, n := range notes {
						if !noteSeen[n] {
							noteSeen[n] = true
							rep.Notes = append(rep.Notes, n)
						}
					}
					run := r.findRun(rep, round, s.label, k)
					for _, e := range r.backend.Events() {
						run.setUnit(eventUnit(e), per[e])
					}
				}
			}
		}
		if len(keys) == 0 {
			return nil, fmt.Errorf("%w -bench %q in %v (%d packages with tests in both versions)", ErrNoBenchmarks, r.cfg.Bench, r.cfg.Packages, len(pkgs))
		}
	}
	rep.compare(keys, iterations, r.cfg)
	return rep, nil
}

// compare gathers the samples of each benchmark and unit and compares
// them.
func (rep *Report) compare(keys []benchKey, iterations map[benchKey]int, cfg Config) {
	// samples[key][side][unit] holds one value per round.
	samples := map[benchKey][2]map[string][]float64{}
	for _, run := range rep.runs {
		k := benchKey{run.pkg, run.name}
		s := samples[k]
		si := 0
		if run.side == "head" {
			si = 1
		}
		if s[si] == nil {
			s[si] = map[string][]float64{}
		}
		for _, u := range run.units {
			s[si][u] = append(s[si][u], run.values[u])
			rep.addUnit(u)
		}
		samples[k] = s
	}
	for _, k := range keys {
		if rep.Iterations != nil {
			rep.Iterations[k.String()] = iterations[k]
		}
	}
	for _, unit := range rep.units {
		var rows []Row
		for _, k := range keys {
			s := samples[k]
			b, h := s[0][unit], s[1][unit]
			if len(b) == 0 || len(h) == 0 {
				continue
			}
			rows = append(rows, Row{Package: k.pkg, Name: k.name, Base: b, Head: h})
		}
		th := Thresholds{Alpha: cfg.Alpha, Confidence: cfg.Confidence, Threshold: cfg.Threshold, Gate: unit == rep.GateUnit}
		for _, c := range Compare(unit, rows, th) {
			if c.Regression {
				rep.Regressions++
			}
			rep.Comparisons = append(rep.Comparisons, c)
		}
	}
}

// discover picks the benchmarks of pkg present in both versions after
// the first native runs, and calibrates their iteration counts from
// base's ns/op.
func (r *runner) discover(rep *Report, pkg string, native [2][]*result, iterations map[benchKey]int) []benchKey {
	inHead := map[string]bool{}
	for _, res := range native[1] {
		inHead[res.name] = true
	}
	var keys []benchKey
	inBase := map[string]bool{}
	for _, res := range native[0] {
		inBase[res.name] = true
		k := benchKey{pkg, res.name}
		if !inHead[res.name] {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s exists only in base", k))
			continue
		}
		if _, dup := iterations[k]; dup {
			continue
		}
		n := r.cfg.Iterations
		if n <= 0 {
			n = calibrate(res.values["ns/op"], float64(calibrationTime))
		}
		iterations[k] = n
		if r.bytesPerOp == nil {
			r.bytesPerOp = map[benchKey]float64{}
		}
		r.bytesPerOp[k] = res.values["B/op"]
		keys = append(keys, k)
	}
	for _, res := range native[1] {
		if !inBase[res.name] {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s exists only in head", benchKey{pkg, res.name}))
		}
	}
	return keys
}

// calibrateCounted picks N for the counted runs of each benchmark so
// that the counted difference is about calibrationCount events: the
// whole-process counts vary by some 10k instructions whatever N is (the
// testing package's forced GCs and the scheduler react to wall-clock
// time), so the difference must be large for that to vanish. It measures
// base once with a small N taken from native time.
func (r *runner) calibrateCounted(ctx context.Context, base *side, keys []benchKey, iterations map[benchKey]int) error {
	if r.backend == nil || r.cfg.Iterations > 0 {
		return nil
	}
	for _, k := range keys {
		n0 := iterations[k]
		r.progress("calibrating %s (%s, %d and %d iterations)", k, r.backend.Name(), baseIterations, baseIterations+n0)
		per, _, err := r.countPerOp(ctx, base, base.binary(k.pkg), k.name, n0)
		if err != nil {
			return err
		}
		n := calibrate(per[r.backend.Events()[0]], calibrationCount)
		// With GC off every allocation stays: keep the heap of the
		// long run within maxCountedHeap.
		if b := r.bytesPerOp[k]; !r.cfg.GC && b > 0 && float64(n)*b > maxCountedHeap {
			n = max(1, int(maxCountedHeap/b))
		}
		iterations[k] = n
	}
	return nil
}

func (r *runner) findRun(rep *Report, round int, side string, k benchKey) *run {
	for i := range rep.runs {
		x := &rep.runs[i]
		if x.round == round && x.side == side && x.pkg == k.pkg && x.name == k.name {
			return x
		}
	}
	rep.runs = append(rep.runs, run{round: round, side: side, pkg: k.pkg, name: k.name, values: map[string]float64{}, backend: rep.Backend})
	return &rep.runs[len(rep.runs)-1]
}

func (x *run) setUnit(unit string, v float64) {
	if _, ok := x.values[unit]; !ok {
		x.units = append(x.units, unit)
	}
	x.values[unit] = v
}

func (rep *Report) addUnit(u string) {
	for _, have := range rep.units {
		if have == u {
			return
		}
	}
	rep.units = append(rep.units, u)
}

// eventUnit is the benchmark unit of a counter event: instructions/op,
// cycles/op, task-clock-ns/op.
func eventUnit(e counter.Event) string {
	if e.Unit == e.Name {
		return e.Name + "/op"
	}
	return e.Name + "-" + e.Unit + "/op"
}
