package migratecmd

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/capacity"
)

// DefaultCapacityTarget is the capacity change a stage must keep under
// -perf capacity: a migration stage should not lose capacity, and 5% is
// the least loss the rate search (bisected to 5%) and a shared machine
// can tell from no change. With the default 6 trials a stage fails only
// when the whole 95% interval of the change is below -5%.
const DefaultCapacityTarget = "-5%"

// capacityKeys are the .upshift.yaml keys of capacity.Settings' names.
var capacityKeys = map[string]string{
	capacity.SettingPkg: "package", capacity.SettingPath: "paths", capacity.SettingTraffic: "traffic",
	capacity.SettingTarget: "target", capacity.SettingSLO: "slo", capacity.SettingMemory: "memory",
	capacity.SettingTolerance: "tolerance", capacity.SettingCPUs: "cpus", capacity.SettingWindow: "window",
	capacity.SettingWarmup: "warmup", capacity.SettingStartRate: "start_rate", capacity.SettingMaxRate: "max_rate",
	capacity.SettingBackend: "backend", capacity.SettingTrials: "trials",
}

// capacityKey names a capacity setting as .upshift.yaml spells it.
func capacityKey(setting string) string {
	if k, ok := capacityKeys[setting]; ok {
		return "perf." + k
	}
	// Settings migrate leaves at perf capacity's defaults.
	return "perf capacity's -" + setting
}

// settings returns the capacity settings of the perf: keys over perf
// capacity's defaults, with migrate's own defaults: the target
// DefaultCapacityTarget, and no fixed-work phase (it adds a run per side
// and stage, and the gate is on capacity). The traffic file stays
// relative to the module root.
func (p PerfConfig) settings() (capacity.Settings, error) {
	s := capacity.DefaultSettings()
	s.Target, s.Backend = DefaultCapacityTarget, "none"
	s.Pkg, s.Paths, s.TrafficFile = p.Package, p.Paths, p.Traffic
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&s.Target, p.Target)
	set(&s.SLO, p.SLO)
	set(&s.Memory, p.Memory)
	set(&s.Tolerance, p.Tolerance)
	set(&s.Backend, p.Backend)
	if p.CPUs != 0 {
		s.CPUs = p.CPUs
	}
	if p.Trials != 0 {
		s.Trials = p.Trials
	}
	if p.StartRate != 0 {
		s.StartRate = p.StartRate
	}
	if p.MaxRate != 0 {
		s.MaxRate = p.MaxRate
	}
	for _, d := range []struct {
		key string
		v   string
		dst *time.Duration
	}{{"window", p.Window, &s.Window}, {"warmup", p.Warmup, &s.Warmup}} {
		if d.v == "" {
			continue
		}
		v, err := time.ParseDuration(d.v)
		if err != nil {
			return s, fmt.Errorf("perf.%s: want a duration such as 3s or 500ms, not %q", d.key, d.v)
		}
		*d.dst = v
	}
	return s, nil
}

// capacityConfig checks the capacity settings of .upshift.yaml in the
// module at dir and returns the comparison's Config without its
// versions: the service's package must be a main package of the module,
// the traffic file readable, the backend available. Errors name the
// file and key.
func (c *Config) capacityConfig(ctx context.Context, dir string) (*capacity.Config, error) {
	if err := capacity.Supported(); err != nil {
		return nil, fmt.Errorf("-perf capacity: %v", err)
	}
	st, err := c.Perf.settings()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", ConfigFile, err)
	}
	if st.Pkg == "" {
		return nil, fmt.Errorf("-perf capacity needs the service's main package: set perf.package in %s (e.g. package: ./cmd/server)", ConfigFile)
	}
	if st.TrafficFile != "" && !filepath.IsAbs(st.TrafficFile) {
		st.TrafficFile = filepath.Join(dir, st.TrafficFile)
	}
	cfg, err := st.Config(ctx, capacityKey)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", ConfigFile, err)
	}
	// A package that is not a command would only fail at stage 1, after
	// the baseline's tests: say so now.
	cmd := exec.CommandContext(ctx, "go", "list", "-f", "{{.Name}}", st.Pkg)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: perf.package %s: %s", ConfigFile, st.Pkg, strings.TrimSpace(string(out)))
	}
	if name := strings.TrimSpace(string(out)); name != "main" {
		return nil, fmt.Errorf("%s: perf.package %s is package %s, not a main package: name the service's command", ConfigFile, st.Pkg, name)
	}
	return &cfg, nil
}

// runCapacity compares the service at base and head (a commit, or the
// work tree's directory) with perf capacity, its progress indented under
// the stage's.
func (m *migration) runCapacity(ctx context.Context, base, head string) (*capacity.Report, error) {
	cfg := *m.opts.capacity
	cfg.Dir, cfg.Base, cfg.Head = m.dir, base, head
	cfg.Progress = &progressWriter{w: m.env.Stderr}
	headName := short(head)
	if head == m.dir {
		headName = "work tree"
	}
	fmt.Fprintf(m.env.Stderr, "  perf capacity: %s..%s, %d trial(s), %s windows, %d CPU(s), %s, %s\n", short(base), headName,
		cfg.Trials, cfg.Load.Window, cfg.Budget.CPUs, capacity.FormatBytes(cfg.Budget.Memory), cfg.Pkg)
	run := m.capacityRun
	if run == nil {
		run = capacity.Run
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("perf capacity: %s", inConfigTerms(err.Error()))
	}
	return rep, nil
}

// configFlag matches a perf capacity flag named in a message ("raise
// -trials", "raise -max-rate"): a dash at the start of a word.
var configFlag = func() *regexp.Regexp {
	var names []string
	for _, setting := range slices.Sorted(maps.Keys(capacityKeys)) {
		names = append(names, regexp.QuoteMeta(setting))
	}
	return regexp.MustCompile(`(^|[\s(])-(` + strings.Join(names, "|") + `)\b`)
}()

// inConfigTerms names perf capacity's settings in msg as .upshift.yaml does.
func inConfigTerms(msg string) string {
	return configFlag.ReplaceAllStringFunc(msg, func(m string) string {
		i := strings.Index(m, "-")
		return m[:i] + capacityKey(m[i+1:])
	})
}

// capacityOf is a side's capacity: the median over the trials when
// there is an interval, else the first trial's.
func capacityOf(sd capacity.Side) float64 {
	if sd.Interval != nil {
		return sd.Interval.Center
	}
	return sd.Search.Capacity
}

// capacityRegression is the failure a FAIL verdict makes: the two
// capacities, the change against the target, and what binds head.
func capacityRegression(rep *capacity.Report) string {
	return fmt.Sprintf("capacity regression: %.0f -> %.0f req/s (%+.1f%%, target %+.1f%%), head bound by %s",
		capacityOf(rep.Base), capacityOf(rep.Head), 100*rep.Verdict.Change, 100*rep.Verdict.Target, rep.Head.Bound.Bound)
}

// capacity compares the service's capacity at the stage's commit with
// the previous stage's (base): FAIL fails the stage, INCONCLUSIVE is a
// note, and the stage records head's capacity and the change.
func (m *migration) capacity(ctx context.Context, s *Stage, base string) error {
	rep := m.checked(ctx, base, s.Commit)
	if rep != nil {
		s.Notes = append(s.Notes, "perf capacity: the stage's own check (of its fixes, or of the pins it drops) measured this same code (the work tree it compared with the stage's start is the commit's tree): its result is the stage's.")
		fmt.Fprintf(m.env.Stderr, "  perf capacity: %s..%s: the stage's check measured this code already\n", short(base), short(s.Commit))
	} else {
		var err error
		if rep, err = m.runCapacity(ctx, base, s.Commit); err != nil {
			return err
		}
	}
	v := rep.Verdict
	s.Capacity = capacityOf(rep.Head)
	change := v.Change
	s.CapacityChange = &change
	// The previous stage's figure, when it was not measured itself (the
	// baseline is measured by stage 1's comparison).
	if len(m.stages) > 0 && m.stages[len(m.stages)-1].Capacity == 0 {
		m.stages[len(m.stages)-1].Capacity = capacityOf(rep.Base)
	}
	s.Perf = fmt.Sprintf("capacity %s: %s", v.Outcome, v.Summary)
	for _, n := range rep.Notes {
		s.Notes = append(s.Notes, "perf capacity: "+n)
	}
	switch v.Outcome {
	case capacity.OutcomeFail:
		s.Verified = false
		s.NewFailures = append(s.NewFailures, capacityRegression(rep))
		s.Notes = append(s.Notes, "head: "+rep.Head.Bound.Why, "base: "+rep.Base.Bound.Why)
		if v.Story != "" {
			s.Notes = append(s.Notes, v.Story)
		}
		if v.Reason != "" {
			s.Notes = append(s.Notes, v.Reason)
		}
	case capacity.OutcomeInconclusive:
		s.Notes = append(s.Notes, fmt.Sprintf("perf capacity was INCONCLUSIVE, not counted as a failure: %s; %s", v.Reason, inConfigTerms(v.Advice)))
	}
	return nil
}

// capacityCheck compares the service in the work tree as it is with the
// stage's start (HEAD), for bisecting a fix stage: a FAIL names the
// regression; PASS and INCONCLUSIVE do not fail.
func (m *migration) capacityCheck() check {
	return check{"capacity", func(ctx context.Context) ([]string, error) {
		head, err := m.wt.git(ctx, "rev-parse", "HEAD")
		if err != nil {
			return nil, err
		}
		rep, err := m.runCapacity(ctx, head, m.dir)
		if err != nil {
			return nil, err
		}
		m.lastCheck = nil
		if tree, err := m.workTree(ctx); err == nil {
			m.lastCheck = &capacityCheckResult{base: head, tree: tree, report: rep}
		}
		if rep.Verdict.Outcome == capacity.OutcomeFail {
			return []string{capacityRegression(rep)}, nil
		}
		return nil, nil
	}}
}

// capacityCheckResult is the last comparison capacityCheck made: the
// stage's start, the tree of the work tree it measured, and the report.
type capacityCheckResult struct {
	base, tree string
	report     *capacity.Report
}

// checked returns the report of the stage's own check (of its fixes, or
// of the pins unpin drops) when it compared base with exactly the code of
// commit, so that the stage does not measure the
// same two versions twice (minutes each); nil otherwise.
func (m *migration) checked(ctx context.Context, base, commit string) *capacity.Report {
	c := m.lastCheck
	m.lastCheck = nil
	if c == nil || c.base != base {
		return nil
	}
	tree, err := m.wt.git(ctx, "rev-parse", commit+"^{tree}")
	if err != nil || tree != c.tree {
		return nil
	}
	return c.report
}

// workTree returns the tree of the work tree's tracked files as they are,
// without touching the index: git stash create makes a commit of them
// (nothing when they equal HEAD). Untracked files are not in it, so a
// work tree with new files never matches a commit that has them.
func (m *migration) workTree(ctx context.Context) (string, error) {
	c, err := m.wt.git(ctx, append(m.wt.identity(ctx), "stash", "create")...)
	if err != nil {
		return "", err
	}
	if c == "" {
		c = "HEAD"
	}
	return m.wt.git(ctx, "rev-parse", c+"^{tree}")
}

// progressWriter indents perf capacity's progress lines under the
// stage's, as "  perf capacity: ...". The two sides' searches report
// from their own goroutines: one line per Write, one Write at a time.
type progressWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := strings.TrimPrefix(string(b), "upshift ")
	if _, err := io.WriteString(p.w, "  "+line); err != nil {
		return 0, err
	}
	return len(b), nil
}
