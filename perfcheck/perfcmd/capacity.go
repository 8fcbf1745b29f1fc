package perfcmd

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/perfcheck/capacity"
)

const capacityUsage = `usage: upshift perf capacity -base REV|DIR -head REV|DIR -pkg PATH [-path URLPATH]... [flags]

Builds the service's main package (-pkg) of both versions, starts each
from its package directory with PORT set (it must listen on
127.0.0.1:$PORT) under the same budget: -cpus CPUs (GOMAXPROCS and CPU
affinity) and -mem memory (GOMEMLIMIT, and peak RSS must stay within it).
Then it searches each side's capacity, the highest open-loop request rate
it sustains: achieved >= 99% of offered, p99 <= -slo, errors <= 0.1%, RSS
within -mem, measured after a warm-up. Base and head steps alternate.

For each side it reports the capacity, what binds it (CPU, memory/GC or
latency, with the numbers), GC CPU share, peak RSS, latency percentiles,
and the work per request of the whole process (GC and background work
included) from a separate fixed-work phase: instructions with valgrind,
or CPU time with taskclock (time, not instructions). With -metrics it
also reads the handlers' work per request from the service's
perfcheck/middleware endpoint.

When the work per request falls but capacity does not rise by -target,
it says so and names what binds instead.

The verdict does not trust one measurement: both capacities are measured
-trials times (the first a full search with base and head steps
alternating, the others short searches near the capacity found, sides in
alternating order), and the gate is on the median paired change head/base
- 1 and its -confidence interval (benchstat's order statistics). PASS
when the whole interval meets -target, FAIL when it is all below,
INCONCLUSIVE when it straddles the target or when the machine was noisy
(other processes' CPU from /proc/stat, steal time, run-queue wait, CPU
clock changes where visible) and head did not lose in every pair: a
neighbour can hide a difference, it does not fake a regression pair after
pair. The reason and what to do are printed. -trials 1 is the old single
comparison.

Exit status: 0 PASS, 1 FAIL, 3 INCONCLUSIVE, 2 error (bad flags, build
failure, a service that crashes or never listens: its last output is
shown).

Examples:
  upshift perf capacity -base main -head HEAD -pkg ./cmd/server -path /items
  upshift perf capacity -base testdata/sample/baseline -head testdata/sample/migrated -pkg . -path /items -report capacity.html
  upshift perf capacity -base v1.4.0 -head . -pkg ./cmd/api -path /users -path /orders -target +5% -slo p99=50ms -cpus 2 -mem 512MiB
  upshift perf capacity -base main -head HEAD -pkg ./cmd/api -traffic prod-sample.jsonl -path /healthz

Flags:
`

// Capacity runs `upshift perf capacity`.
func Capacity(ctx context.Context, env command.Env, args []string) int {
	const name = "perf capacity"
	fs := flag.NewFlagSet("upshift perf capacity", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	d := capacity.DefaultSettings()
	base := fs.String("base", "", "base version: git revision or directory (required)")
	head := fs.String("head", "", "head version: git revision or directory (required)")
	pkg := fs.String("pkg", "", "the service's main package, relative to the module (required), e.g. . or ./cmd/server")
	var paths stringList
	fs.Var(&paths, "path", "URL path to request, round robin (repeatable; default /); the first must answer when the service is ready")
	trafficFile := fs.String("traffic", "", "offer recorded requests (JSON Lines or .har, see upshift replay) round robin instead of GETs of -path: the load is the recorded mix; 4xx answers are then part of it, 5xx are errors")
	target := fs.String("target", d.Target, "required capacity change head/base - 1, e.g. +10% or -5%")
	slo := fs.String("slo", d.SLO, "latency SLO a step must meet: p99=DUR")
	cpus := fs.Int("cpus", d.CPUs, "CPUs per service: GOMAXPROCS and CPU affinity")
	mem := fs.String("mem", d.Memory, "memory budget per service: GOMEMLIMIT, and the peak RSS a step may reach")
	duration := fs.Duration("duration", d.Window, "measured window of each step")
	warmup := fs.Duration("warmup", d.Warmup, "warm-up before each step's window, discarded")
	start := fs.Float64("start-rate", d.StartRate, "first rate probed (req/s); the search ramps x2 from there")
	maxRate := fs.Float64("max-rate", d.MaxRate, "highest rate probed (req/s)")
	tolerance := fs.String("tolerance", d.Tolerance, "bisect until the failing rate is within this of the passing one")
	backend := fs.String("backend", d.Backend, "work per request: auto (valgrind if installed, else taskclock), valgrind (instructions), taskclock (CPU time) or none")
	requests := fs.Int("requests", d.Requests, "requests of the fixed-work phase (valgrind also runs a fifth of them to cancel start-up)")
	metrics := fs.String("metrics", "", "URL path of the service's perfcheck/middleware snapshot, for handler work per request")
	format := fs.String("format", "text", "output format: text or json")
	report := fs.String("report", "", "also write a chart of offered rate vs p99 latency: FILE.html (with step tables) or FILE.svg")
	inflight := fs.Int("max-inflight", d.MaxInflight, "most requests in flight; beyond it the step fails on throughput (bounds an overload backlog)")
	ready := fs.Duration("ready-timeout", d.Ready, "how long a service may take to answer the first -path")
	trials := fs.Int("trials", d.Trials, "measurements of both capacities; the verdict is on the confidence interval of the change (6+ for 95%; 1: a single comparison)")
	confidence := fs.String("confidence", d.Confidence, "confidence level of the intervals")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), capacityUsage)
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return env.Errorf(name, "unexpected arguments %q: every input is a flag", fs.Args())
	}
	if *base == "" || *head == "" || *pkg == "" {
		return env.Errorf(name, "-base, -head and -pkg are required")
	}
	switch {
	case *format != "text" && *format != "json":
		return env.Errorf(name, "-format must be text or json, not %q", *format)
	case *report != "" && !strings.HasSuffix(*report, ".html") && !strings.HasSuffix(*report, ".htm") && !strings.HasSuffix(*report, ".svg"):
		return env.Errorf(name, "-report %q: want a .html or .svg file", *report)
	}
	settings := capacity.Settings{
		Pkg: *pkg, Paths: paths, Target: *target, SLO: *slo, Memory: *mem, Tolerance: *tolerance, Confidence: *confidence,
		CPUs: *cpus, Window: *duration, Warmup: *warmup, StartRate: *start, MaxRate: *maxRate, Backend: *backend,
		Requests: *requests, MetricsPath: *metrics, MaxInflight: *inflight, Ready: *ready, Trials: *trials,
	}
	if *trafficFile != "" {
		settings.TrafficFile = abs(env, *trafficFile)
	}
	cfg, err := settings.Config(ctx, nil)
	if err != nil {
		return env.Errorf(name, "%v", err)
	}
	cfg.Dir, cfg.Base, cfg.Head = env.Dir, *base, *head
	if env.Progress {
		cfg.Progress = env.Stderr
	}
	rep, err := capacity.Run(ctx, cfg)
	if err != nil {
		return env.Errorf(name, "%v", err)
	}
	if *report != "" {
		if err := rep.WriteFile(abs(env, *report)); err != nil {
			return env.Errorf(name, "%v", err)
		}
	}
	if *format == "json" {
		err = rep.WriteJSON(env.Stdout)
	} else {
		err = rep.WriteText(env.Stdout)
	}
	if err != nil {
		return env.Errorf(name, "%v", err)
	}
	switch rep.Verdict.Outcome {
	case capacity.OutcomePass:
		return command.ExitOK
	case capacity.OutcomeInconclusive:
		return ExitInconclusive
	}
	return command.ExitFindings
}

// ExitInconclusive is perf capacity's exit status when the measurement
// cannot decide (the interval straddles the target, or a noisy machine
// could explain the shortfall): neither a pass nor a failure.
const ExitInconclusive = 3

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
