package counter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Backend names accepted by Select.
const (
	PMUName       = "pmu"
	ValgrindName  = "valgrind"
	TaskClockName = "taskclock"
	// AutoName selects the first backend that works, in the order pmu,
	// valgrind, taskclock.
	AutoName = "auto"
)

// An Event is one quantity a backend counts.
type Event struct {
	// Name is the event's name, e.g. "instructions".
	Name string
	// Unit is what one count is: "instructions", "cycles" or "ns". It is
	// the stem of benchmark units ("instructions/op").
	Unit string
}

// The events the backends count.
var (
	EventInstructions = Event{Name: "instructions", Unit: "instructions"}
	EventCycles       = Event{Name: "cycles", Unit: "cycles"}
	EventTaskClock    = Event{Name: "task-clock", Unit: "ns"}
)

// A Count is the value of one event in a Reading.
type Count struct {
	// Event is what was counted.
	Event Event
	// Value is the count, scaled by time_enabled/time_running when the
	// kernel multiplexed the counter.
	Value float64
	// Raw is the count as read, before scaling.
	Raw uint64
}

// A Reading is what a backend measured for one span or one process.
type Reading struct {
	// Backend is the name of the backend that measured.
	Backend string
	// Counts holds one value per event; Counts[0] is the backend's
	// primary event.
	Counts []Count
	// Enabled and Running are perf_event's time_enabled and time_running
	// (zero for valgrind).
	Enabled, Running time.Duration
	// Scaled is true when the counts were extrapolated because the
	// counters ran for only part of the time they were enabled.
	Scaled bool
	// Notes say how the figures were obtained when that deviates from
	// the backend's default (multiplexing, no measurement window, ASLR on).
	Notes []string
}

// Primary returns the backend's main count (instructions for pmu and
// valgrind, task-clock time for taskclock).
func (r Reading) Primary() Count {
	if len(r.Counts) == 0 {
		return Count{}
	}
	return r.Counts[0]
}

// Value returns the count of event e, if the reading has it.
func (r Reading) Value(e Event) (float64, bool) {
	for _, c := range r.Counts {
		if c.Event == e {
			return c.Value, true
		}
	}
	return 0, false
}

// A Command is a child process to measure. Unlike exec.Cmd it can be
// rewritten by a backend (valgrind wraps it) before it starts.
type Command struct {
	// Path is the program; Args are its arguments, without argv[0].
	Path string
	Args []string
	// Env is the complete environment of the child.
	Env []string
	// Dir is the child's working directory.
	Dir string
	// Stdin, Stdout and Stderr are the child's standard files; nil
	// means the null device.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// A Backend counts the work of a child process.
type Backend interface {
	// Name is the backend's name: pmu, valgrind or taskclock.
	Name() string
	// Events lists what the backend counts; the first is primary.
	Events() []Event
	// Describe says in one line how the backend measures, for reports.
	Describe() string
	// Probe reports whether the backend works on this machine, and if
	// not, why.
	Probe(ctx context.Context) error
	// Run runs c to completion and returns what its whole process
	// counted. A process that exits with an error yields an error.
	Run(ctx context.Context, c Command) (Reading, error)
}

// A SpanCounter counts a span of code on the calling goroutine, which is
// locked to its OS thread for the duration.
type SpanCounter interface {
	Span(fn func()) (Reading, error)
}

// ErrUnavailable is wrapped by probe errors of a backend that cannot
// work on this machine.
var ErrUnavailable = errors.New("counter backend unavailable")

// ErrNotCounted is returned when the kernel accepted a counter but never
// scheduled it (time_running == 0). The count is unknown: it is not zero.
var ErrNotCounted = errors.New("not counted: the counter was enabled but never ran (time_running = 0); another program may hold the hardware counters, or the hypervisor does not expose them")

// A ProbeResult is the outcome of probing one backend.
type ProbeResult struct {
	// Backend is the name of the backend probed.
	Backend string
	// Err is nil when the backend works.
	Err error
}

// New returns the backend with the given name (pmu, valgrind or
// taskclock) without probing it.
func New(name string) (Backend, error) {
	switch name {
	case PMUName:
		return NewPMU(), nil
	case ValgrindName:
		return &Valgrind{}, nil
	case TaskClockName:
		return NewTaskClock(), nil
	}
	return nil, fmt.Errorf("unknown counter backend %q (want %s, %s, %s or %s)", name, AutoName, PMUName, ValgrindName, TaskClockName)
}

// Select probes and returns the backend called name, or with AutoName the
// first that works in the order pmu, valgrind, taskclock. It also returns
// every probe's outcome so that reports can say why a backend was skipped.
func Select(ctx context.Context, name string) (Backend, []ProbeResult, error) {
	names := []string{name}
	if name == AutoName {
		names = []string{PMUName, ValgrindName, TaskClockName}
	}
	var tried []ProbeResult
	for _, n := range names {
		b, err := New(n)
		if err != nil {
			return nil, nil, err
		}
		err = b.Probe(ctx)
		tried = append(tried, ProbeResult{Backend: n, Err: err})
		if err == nil {
			return b, tried, nil
		}
	}
	if name != AutoName {
		return nil, tried, fmt.Errorf("backend %s: %w", name, tried[0].Err)
	}
	var why []string
	for _, t := range tried {
		why = append(why, fmt.Sprintf("%s: %v", t.Backend, t.Err))
	}
	return nil, tried, fmt.Errorf("no counter backend works here (%s)", strings.Join(why, "; "))
}
