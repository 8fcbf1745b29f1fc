//go:build linux

package capacity

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// CPUSet is a set of CPUs a process may run on (Linux CPU affinity).
type CPUSet = unix.CPUSet

// supported says whether perf capacity can measure services here: it reads
// CPU time and peak RSS from /proc and pins CPUs with sched_setaffinity.
func supported() error { return nil }

// startPinned starts cmd from an OS thread whose CPU affinity is set, so
// the child inherits it (fork copies the calling thread's mask). The
// thread's own mask is restored before it goes back to the scheduler:
// the load generator must not inherit the restriction.
func startPinned(cmd *exec.Cmd, set *CPUSet) error {
	if set == nil {
		return cmd.Start()
	}
	return onPinnedThread(set, cmd.Start)
}

// CanPin reports whether this process may set a thread's CPU affinity to
// set (containers can forbid it); the calling thread's mask is restored.
func CanPin(set *CPUSet) error {
	return onPinnedThread(set, func() error { return nil })
}

// onPinnedThread runs f on a locked OS thread whose CPU affinity is set,
// then restores the thread's mask. It uses a goroutine of its own: if the
// mask cannot be restored that goroutine exits still locked, and the
// runtime destroys the restricted thread (and Pdeathsig the child started
// there with it) instead of reusing it.
func onPinnedThread(set *CPUSet, f func() error) error {
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
func PickCPUs(n int) (*CPUSet, string, error) {
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

// PinProcess moves every thread of this process (the load generator)
// off the CPUs in set, so that it does not take CPU time from the
// service; threads created later inherit the mask of their creator.
// restore puts the original mask back. When set covers every CPU this
// process may use, nothing changes and note says so.
func PinProcess(set *CPUSet) (restore func(), note string) {
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
