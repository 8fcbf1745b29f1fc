package bench

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// result is one benchmark's figures from one process.
type result struct {
	name   string // without "Benchmark" and without the GOMAXPROCS suffix
	iters  int
	units  []string
	values map[string]float64
}

func (r *result) set(unit string, v float64) {
	if _, ok := r.values[unit]; !ok {
		r.units = append(r.units, unit)
	}
	r.values[unit] = v
}

// fileConfig is what a test binary says about where it ran.
type fileConfig struct {
	goos, goarch, cpu, pkg string
}

// parseOutput reads benchmark results from a test binary's output.
// procs is the -test.cpu value the binary ran with: testing appends
// "-procs" to names when it is above 1.
func parseOutput(out []byte, procs int) ([]*result, fileConfig, error) {
	var cfg fileConfig
	var results []*result
	suffix := ""
	if procs > 1 {
		suffix = "-" + strconv.Itoa(procs)
	}
	rd := benchfmt.NewReader(bytes.NewReader(out), "output")
	for rd.Scan() {
		res, ok := rd.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		cfg = fileConfig{res.GetConfig("goos"), res.GetConfig("goarch"), res.GetConfig("cpu"), res.GetConfig("pkg")}
		r := &result{
			name:   strings.TrimSuffix(string(res.Name.Full()), suffix),
			iters:  res.Iters,
			values: map[string]float64{},
		}
		for _, v := range res.Values {
			unit, val := v.Unit, v.Value
			if v.OrigUnit != "" {
				unit, val = v.OrigUnit, v.OrigValue
			}
			r.set(unit, val)
		}
		results = append(results, r)
	}
	if err := rd.Err(); err != nil {
		return nil, cfg, fmt.Errorf("reading benchmark output: %w", err)
	}
	return results, cfg, nil
}

// exactPattern returns a -test.bench pattern that selects exactly the
// (sub-)benchmark called name: testing matches each slash-separated
// level against its own regexp.
func exactPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if i == 0 {
			p = "Benchmark" + p
		}
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// runNative runs every benchmark of bin matching pattern in one fresh
// process, natively, for ns/op, B/op and allocs/op.
func (r *runner) runNative(ctx context.Context, s *side, bin *testBinary) ([]*result, fileConfig, error) {
	args := []string{
		"-test.run=^$",
		"-test.bench=" + r.cfg.Bench,
		"-test.benchmem",
		"-test.benchtime=" + r.cfg.BenchTime,
		"-test.count=1",
		"-test.cpu=" + strconv.Itoa(r.procs),
	}
	out, err := r.exec(ctx, counter.Command{Path: bin.path, Args: args, Dir: bin.dir, Env: os.Environ()}, nil)
	if err != nil {
		return nil, fileConfig{}, fmt.Errorf("%s (%s): running benchmarks of %s: %w", s.label, s.spec, bin.importPath, err)
	}
	results, cfg, err := parseOutput(out, r.procs)
	if err != nil {
		return nil, cfg, fmt.Errorf("%s (%s): %s: %w", s.label, s.spec, bin.importPath, err)
	}
	return results, cfg, nil
}

// countedEnv is the environment of counted runs: one P, no asynchronous
// preemption, and unless asked otherwise no GC, so that the counts of
// two runs differ only by the work of the code.
func (r *runner) countedEnv() []string {
	env := counter.MergeEnv(os.Environ(), "GOMAXPROCS=1")
	if !r.cfg.GC {
		env = counter.MergeEnv(env, "GOGC=off")
	}
	return counter.AddGODEBUG(env, "asyncpreemptoff=1")
}

// countOnce runs benchmark name for exactly n iterations under the
// counter backend and returns the reading of the whole process.
func (r *runner) countOnce(ctx context.Context, s *side, bin *testBinary, name string, n int) (counter.Reading, error) {
	args := []string{
		"-test.run=^$",
		"-test.bench=" + exactPattern(name),
		fmt.Sprintf("-test.benchtime=%dx", n),
		"-test.count=1",
		"-test.cpu=1",
	}
	var reading counter.Reading
	out, err := r.exec(ctx, counter.Command{Path: bin.path, Args: args, Dir: bin.dir, Env: r.countedEnv()}, &reading)
	if err != nil {
		return reading, fmt.Errorf("%s (%s): counting %s.Benchmark%s with %s: %w", s.label, s.spec, bin.importPath, name, r.backend.Name(), err)
	}
	results, _, err := parseOutput(out, 1)
	if err != nil {
		return reading, err
	}
	if len(results) != 1 || results[0].name != name || results[0].iters != n {
		return reading, fmt.Errorf("%s (%s): counting %s.Benchmark%s: want exactly that benchmark with %d iterations, got %s", s.label, s.spec, bin.importPath, name, n, describeResults(results))
	}
	return reading, nil
}

func describeResults(rs []*result) string {
	if len(rs) == 0 {
		return "no results"
	}
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s (%d iterations)", r.name, r.iters))
	}
	return strings.Join(parts, ", ")
}

// baseIterations is the iteration count of the shorter counted run. Not
// 1: with -test.benchtime=1x testing skips the second runN (and its
// forced GC) that every longer run has, so the overheads would differ.
const baseIterations = 2

// countPerOp measures the backend's events per iteration of a benchmark
// as the difference between runs of baseIterations and baseIterations+n
// iterations, divided by n. Process start-up, the benchmark's setup, its
// b.N=1 run and the forced GCs are the same in both runs and cancel
// out. The whole-process counts vary by some 10k instructions whatever
// the iterations (the runtime's netpoller, scavenger and sysmon react to
// wall-clock time), so a short base run and one long run give the
// largest difference, hence the least relative noise, for the work.
func (r *runner) countPerOp(ctx context.Context, s *side, bin *testBinary, name string, n int) (map[counter.Event]float64, []string, error) {
	one, err := r.countOnce(ctx, s, bin, name, baseIterations)
	if err != nil {
		return nil, nil, err
	}
	two, err := r.countOnce(ctx, s, bin, name, baseIterations+n)
	if err != nil {
		return nil, nil, err
	}
	per := map[counter.Event]float64{}
	for _, c := range two.Counts {
		v1, ok := one.Value(c.Event)
		if !ok {
			return nil, nil, fmt.Errorf("%s: reading of %d iterations lacks %s", r.backend.Name(), baseIterations, c.Event.Name)
		}
		per[c.Event] = (c.Value - v1) / float64(n)
	}
	return per, append(one.Notes, two.Notes...), nil
}

// exec runs c, natively or (when reading is not nil) under the counter
// backend, and returns its standard output. On failure the error carries
// the output, which holds the test binary's complaint.
func (r *runner) exec(ctx context.Context, c counter.Command, reading *counter.Reading) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	var err error
	if reading != nil {
		*reading, err = r.backend.Run(ctx, c)
	} else {
		err = r.runPlain(ctx, c)
	}
	if err != nil {
		out := strings.TrimSpace(stdout.String() + "\n" + stderr.String())
		return nil, fmt.Errorf("%w\n%s", err, tail(out, 40))
	}
	return stdout.Bytes(), nil
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = append([]string{"..."}, l[len(l)-lines:]...)
	}
	return strings.Join(l, "\n")
}

// calibrate returns the iterations that make perOp cover target
// (native nanoseconds, or counted events), at least 1.
func calibrate(perOp, target float64) int {
	if perOp <= 0 || math.IsNaN(perOp) {
		return 1000
	}
	n := target / perOp
	switch {
	case n < 1:
		return 1
	case n > 1e8:
		return 1e8
	}
	return int(math.Ceil(n))
}
