//go:build !linux

package counter

import (
	"context"
	"fmt"
	"runtime"
)

// Perf is a backend over perf_event_open, which only Linux has.
type Perf struct {
	name   string
	events []Event
}

// NewPMU returns the pmu backend; it is unavailable on this system.
func NewPMU() *Perf { return &Perf{name: PMUName, events: []Event{EventInstructions, EventCycles}} }

// NewTaskClock returns the taskclock backend; it is unavailable on this
// system.
func NewTaskClock() *Perf { return &Perf{name: TaskClockName, events: []Event{EventTaskClock}} }

// Name implements Backend.
func (p *Perf) Name() string { return p.name }

// Events implements Backend.
func (p *Perf) Events() []Event { return p.events }

// Describe implements Backend.
func (p *Perf) Describe() string { return "perf_event_open (Linux only)" }

// Probe implements Backend.
func (p *Perf) Probe(context.Context) error {
	return fmt.Errorf("%w: perf_event_open is Linux-only (GOOS=%s)", ErrUnavailable, runtime.GOOS)
}

// Run implements Backend.
func (p *Perf) Run(ctx context.Context, c Command) (Reading, error) { return Reading{}, p.Probe(ctx) }

// Span implements SpanCounter.
func (p *Perf) Span(func()) (Reading, error) { return Reading{}, p.Probe(context.Background()) }
