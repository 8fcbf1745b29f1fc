package capacity

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

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
	CPUSet *unix.CPUSet
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

// startPinned starts cmd from an OS thread whose CPU affinity is set, so
// the child inherits it (fork copies the calling thread's mask). The
// thread's own mask is restored before it goes back to the scheduler:
// the load generator must not inherit the restriction.
func startPinned(cmd *exec.Cmd, set *unix.CPUSet) error {
	if set == nil {
		return cmd.Start()
	}
	return onPinnedThread(set, cmd.Start)
}

// CanPin reports whether this process may set a thread's CPU affinity to
// set (containers can forbid it); the calling thread's mask is restored.
func CanPin(set *unix.CPUSet) error {
	return onPinnedThread(set, func() error { return nil })
}

// onPinnedThread runs f on a locked OS thread whose CPU affinity is set,
// then restores the thread's mask. It uses a goroutine of its own: if the
// mask cannot be restored that goroutine exits still locked, and the
// runtime destroys the restricted thread (and Pdeathsig the child started
// there with it) instead of reusing it.
func onPinnedThread(set *unix.CPUSet, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		var old unix.CPUSet
		if err := unix.SchedGetaffinity(0, &old); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("reading CPU affinity: %w", err)
			return
		}
		if err := unix.SchedSetaffinity(0, set); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setting CPU affinity: %w", err)
			return
		}
		fErr := f()
		if err := unix.SchedSetaffinity(0, &old); err != nil {
			if fErr == nil {
				fErr = fmt.Errorf("restoring CPU affinity: %w", err)
			}
			errc <- fErr // exits locked: the thread is discarded
			return
		}
		runtime.UnlockOSThread()
		errc <- fErr
	}()
	return <-errc
}

// PickCPUs returns the affinity set for a budget of n CPUs: the last n
// CPUs this process may run on (the first are where the kernel tends to
// put everything else), and a description such as "CPUs 1".
func PickCPUs(n int) (*unix.CPUSet, string, error) {
	var have unix.CPUSet
	if err := unix.SchedGetaffinity(0, &have); err != nil {
		return nil, "", fmt.Errorf("reading CPU affinity: %w", err)
	}
	var ids []int
	for i := 0; i < len(have)*64; i++ {
		if have.IsSet(i) {
			ids = append(ids, i)
		}
	}
	if n > len(ids) {
		return nil, "", fmt.Errorf("-cpus %d: only %d CPUs are available", n, len(ids))
	}
	var set unix.CPUSet
	var names []string
	for _, id := range ids[len(ids)-n:] {
		set.Set(id)
		names = append(names, strconv.Itoa(id))
	}
	return &set, "CPU " + strings.Join(names, ","), nil
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

// PinProcess moves every thread of this process (the load generator)
// off the CPUs in set, so that it does not take CPU time from the
// service; threads created later inherit the mask of their creator.
// restore puts the original mask back. When set covers every CPU this
// process may use, nothing changes and note says so.
func PinProcess(set *unix.CPUSet) (restore func(), note string) {
	var have unix.CPUSet
	if err := unix.SchedGetaffinity(0, &have); err != nil {
		return func() {}, fmt.Sprintf("load generator not pinned: reading CPU affinity: %v", err)
	}
	rest := have
	for i := 0; i < len(have)*64; i++ {
		if set.IsSet(i) {
			rest.Clear(i)
		}
	}
	if rest.Count() == 0 {
		return func() {}, "the load generator shares the service's CPUs (no CPU left outside -cpus): on a small machine capacities are lower, but both sides are measured alike"
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return func() {}, fmt.Sprintf("load generator not pinned: %v", err)
	}
	for _, t := range tasks {
		if tid, err := strconv.Atoi(t.Name()); err == nil {
			_ = unix.SchedSetaffinity(tid, &rest)
		}
	}
	return func() {
		tasks, _ := os.ReadDir("/proc/self/task")
		for _, t := range tasks {
			if tid, err := strconv.Atoi(t.Name()); err == nil {
				_ = unix.SchedSetaffinity(tid, &have)
			}
		}
	}, ""
}
