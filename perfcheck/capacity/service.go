package capacity

import (
	"context"
	"io"
	"os/exec"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/perfcheck/service"
)

// Build builds the service's main package; see service.Build.
func Build(ctx context.Context, root, pkg, binDir, name string) (bin, pkgDir string, err error) {
	return service.Build(ctx, root, pkg, binDir, name)
}

// Budget is the fixed resource budget both sides run under.
type Budget struct {
	// CPUs is the number of CPUs: GOMAXPROCS in the child and the size of
	// its CPU affinity set.
	CPUs int
	// Memory is GOMEMLIMIT in the child and the RSS a step may reach.
	Memory int64
}

// ServiceSpec says how to start a service.
type ServiceSpec struct {
	// Label names the service in messages ("base", "head").
	Label string
	// Bin is the service binary; Dir its working directory.
	Bin, Dir string
	// Args are the binary's arguments.
	Args []string
	// Wrapper, when set, is the command line the binary runs under
	// (valgrind); Bin and Args are appended to it.
	Wrapper []string
	// Env is the complete environment, without PORT, which Start adds.
	Env []string
	// CPUSet, when non-nil, is the affinity the child inherits.
	CPUSet *CPUSet
	// Out, when set, also receives every line the service prints
	// (gctrace lines included).
	Out io.Writer
}

// A Service is a running service process (see package service) whose
// gctrace lines are parsed as they arrive.
type Service struct {
	*service.Process

	mu      sync.Mutex
	gcs     []gcEvent
	gcErr   error
	gcLines int
}

type gcEvent struct {
	at time.Time
	c  GCCycle
}

// Start starts the service with PORT set to a free port, from a thread
// pinned to spec.CPUSet. gctrace lines are parsed; the rest of its output
// is kept as a tail for error messages. Stop must be called.
func Start(spec ServiceSpec) (*Service, error) {
	s := &Service{}
	p, err := service.Start(service.Spec{
		Label: spec.Label, Bin: spec.Bin, Dir: spec.Dir, Args: spec.Args,
		Wrapper: spec.Wrapper, Env: spec.Env, Out: spec.Out,
		OnLine: s.gcLine,
		Launch: func(cmd *exec.Cmd) error { return startPinned(cmd, spec.CPUSet) },
	})
	if err != nil {
		return nil, err
	}
	s.Process = p
	return s, nil
}

// gcLine records a gctrace line; other lines go to the tail.
func (s *Service) gcLine(line string) bool {
	c, ok, err := ParseGCTrace(line)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err != nil:
		if s.gcErr == nil {
			s.gcErr = err
		}
		return false
	case ok:
		s.gcLines++
		s.gcs = append(s.gcs, gcEvent{at: time.Now(), c: c})
		return true
	}
	return false
}

// GCBetween returns the summary of the GC cycles reported in (from, to],
// and the live heap after the last cycle before from (-1 if none).
func (s *Service) GCBetween(from, to time.Time) (GCSummary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gcErr != nil {
		return GCSummary{}, s.gcErr
	}
	prev := int64(-1)
	var in []GCCycle
	for _, e := range s.gcs {
		switch {
		case !e.at.After(from):
			prev = e.c.HeapLive
		case !e.at.After(to):
			in = append(in, e.c)
		}
	}
	return Summarize(in, prev), nil
}

var errTimeout = service.ErrTimeout

func indent(s string) string { return service.Indent(s) }
