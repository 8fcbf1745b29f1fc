package capacity

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/counter"
	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// Settings are a comparison's settings as a person writes them: the flags
// of upshift perf capacity, and the perf: keys of upshift migrate's
// .upshift.yaml. Both build their Config with Settings.Config, so they
// accept the same values, with the same defaults and checks.
type Settings struct {
	// Pkg is the service's main package, relative to the module.
	Pkg string
	// Paths are the URL paths requested (default "/").
	Paths []string
	// TrafficFile, when set, is a recorded traffic file (JSON Lines or
	// .har) offered instead of GETs of Paths; an absolute path, or one
	// relative to the process's directory.
	TrafficFile string
	// Target, SLO, Memory, Tolerance and Confidence are as written:
	// "-5%", "p99=100ms", "256MiB", "5%", "95%".
	Target, SLO, Memory, Tolerance, Confidence string
	// CPUs is the CPU budget per service.
	CPUs int
	// Window and Warmup are each step's measured window and the warm-up
	// before it.
	Window, Warmup time.Duration
	// StartRate and MaxRate bound the rate search (req/s).
	StartRate, MaxRate float64
	// Backend is the fixed-work phase's backend (SelectWork's names).
	Backend string
	// Requests is the number of requests of the fixed-work phase.
	Requests int
	// MetricsPath, when set, is the URL path of the service's
	// perfcheck/middleware snapshot.
	MetricsPath string
	// MaxInflight caps the requests in flight.
	MaxInflight int
	// Ready bounds how long a service may take to answer the first path.
	Ready time.Duration
	// Trials is the number of measurements of both capacities.
	Trials int
}

// DefaultSettings are upshift perf capacity's defaults.
func DefaultSettings() Settings {
	return Settings{
		Target: "+0%", SLO: "p99=100ms", Memory: "256MiB", Tolerance: "5%", Confidence: "95%",
		CPUs: 1, Window: 3 * time.Second, Warmup: time.Second, StartRate: 100, MaxRate: 50000,
		Backend: counter.AutoName, Requests: 500, MaxInflight: 256, Ready: 30 * time.Second, Trials: 6,
	}
}

// The settings' names in errors: perf capacity's flag names. A caller
// that reads the settings from elsewhere maps them with Config's name
// argument.
const (
	SettingPkg        = "pkg"
	SettingPath       = "path"
	SettingTraffic    = "traffic"
	SettingTarget     = "target"
	SettingSLO        = "slo"
	SettingMemory     = "mem"
	SettingTolerance  = "tolerance"
	SettingConfidence = "confidence"
	SettingCPUs       = "cpus"
	SettingWindow     = "duration"
	SettingWarmup     = "warmup"
	SettingStartRate  = "start-rate"
	SettingMaxRate    = "max-rate"
	SettingBackend    = "backend"
	SettingRequests   = "requests"
	SettingMetrics    = "metrics"
	SettingInflight   = "max-inflight"
	SettingReady      = "ready-timeout"
	SettingTrials     = "trials"
)

// Config checks the settings and returns the Config they describe; Dir,
// Base, Head and Progress are the caller's to set. name turns a setting's
// name (the Setting constants) into the way the user wrote it, for the
// errors: "-slo" for a flag, ".upshift.yaml: perf.slo" for a file key
// (nil: "-" and the name). It reads the traffic file and, for the
// valgrind and auto backends, probes valgrind.
func (s Settings) Config(ctx context.Context, name func(setting string) string) (Config, error) {
	if name == nil {
		name = func(setting string) string { return "-" + setting }
	}
	bad := func(setting, format string, args ...any) (Config, error) {
		return Config{}, fmt.Errorf("%s"+format, append([]any{name(setting)}, args...)...)
	}
	if s.Pkg == "" {
		return bad(SettingPkg, " is required: the service's main package, e.g. . or ./cmd/server")
	}
	paths := s.Paths
	if len(paths) == 0 {
		paths = []string{"/"}
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") {
			return bad(SettingPath, " %q must start with /", p)
		}
	}
	if s.MetricsPath != "" && !strings.HasPrefix(s.MetricsPath, "/") {
		return bad(SettingMetrics, " %q must start with /", s.MetricsPath)
	}
	var recorded []traffic.Request
	if s.TrafficFile != "" {
		var err error
		if recorded, err = traffic.ReadFile(s.TrafficFile, 1_000_000); err != nil {
			return bad(SettingTraffic, ": %v", err)
		}
	}
	target, err := ParseTarget(s.Target)
	if err != nil {
		return bad(SettingTarget, ": %v", err)
	}
	slo, err := ParseSLO(s.SLO)
	if err != nil {
		return bad(SettingSLO, ": %v", err)
	}
	mem, err := ParseSize(s.Memory)
	if err != nil {
		return bad(SettingMemory, ": %v", err)
	}
	tol, err := ParsePercent(s.Tolerance)
	if err != nil || tol <= 0 {
		return bad(SettingTolerance, ": want a positive percentage such as 5%%, not %q", s.Tolerance)
	}
	conf, err := ParsePercent(s.Confidence)
	if err != nil || conf < 0.5 || conf >= 1 {
		return bad(SettingConfidence, ": want a percentage from 50%% to 99.9%%, not %q", s.Confidence)
	}
	switch {
	case s.CPUs < 1:
		return bad(SettingCPUs, " must be at least 1")
	case s.Window < 500*time.Millisecond:
		return bad(SettingWindow, " must be at least 500ms (CPU time is read at 10ms resolution)")
	case s.Warmup < 0:
		return bad(SettingWarmup, " must not be negative")
	case s.StartRate <= 0 || s.MaxRate < s.StartRate:
		return bad(SettingStartRate, " must be positive and at most %s", name(SettingMaxRate))
	case s.MaxInflight < 1:
		return bad(SettingInflight, " must be at least 1")
	case s.Trials < 1 || s.Trials > 50:
		return bad(SettingTrials, " must be between 1 and 50")
	case s.Requests < 5:
		return bad(SettingRequests, " must be at least 5")
	case s.Ready <= 0:
		return bad(SettingReady, " must be positive")
	}
	backend, err := SelectWork(ctx, s.Backend)
	if err != nil {
		return bad(SettingBackend, ": %v", err)
	}
	sc := DefaultSearchConfig()
	sc.Start, sc.Max, sc.Min, sc.Tolerance = s.StartRate, s.MaxRate, min(1, s.StartRate), tol
	sc.Criteria.SLO = slo
	return Config{
		Pkg:    s.Pkg,
		Budget: Budget{CPUs: s.CPUs, Memory: mem},
		Load: Load{
			Paths: paths, Traffic: recorded, Warmup: s.Warmup, Window: s.Window,
			// A request may take ten times the SLO before it counts as
			// an error; the step fails on latency long before that.
			Timeout: max(10*slo, 2*time.Second), MaxWorkers: uint64(s.MaxInflight), Cooldown: 500 * time.Millisecond,
		},
		Search: sc, Target: target, MetricsPath: s.MetricsPath, Ready: s.Ready, Trials: s.Trials, Confidence: conf,
		Work: WorkPhase{Backend: backend, Requests: s.Requests, Paths: paths, Traffic: recorded, Ready: 2 * time.Minute},
	}, nil
}

// ParsePercent parses a non-negative percentage: "5%", "0.5%" or "5"
// (percent); 0.05 for "5%".
func ParsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("want a non-negative percentage such as 1%% or 0.5%%, not %q", s)
	}
	return v / 100, nil
}

// Supported says why capacity comparisons cannot run on this system (nil
// when they can), so that a caller can refuse a setting up front rather
// than fail halfway through a longer job.
func Supported() error { return supported() }
