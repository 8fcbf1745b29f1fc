//go:build linux

package counter

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// perfSys is the seam between the counting logic and the kernel: the four
// system calls perf_event counting needs. Tests replace it with a fake
// because these machines have no hardware counters.
type perfSys interface {
	Open(attr *unix.PerfEventAttr, pid, cpu, groupFD, flags int) (int, error)
	Ioctl(fd int, req uint, arg int) error
	Read(fd int, p []byte) (int, error)
	Close(fd int) error
}

type kernelSys struct{}

func (kernelSys) Open(attr *unix.PerfEventAttr, pid, cpu, groupFD, flags int) (int, error) {
	return unix.PerfEventOpen(attr, pid, cpu, groupFD, flags)
}
func (kernelSys) Ioctl(fd int, req uint, arg int) error { return unix.IoctlSetInt(fd, req, arg) }
func (kernelSys) Read(fd int, p []byte) (int, error)    { return unix.Read(fd, p) }
func (kernelSys) Close(fd int) error                    { return unix.Close(fd) }

// perfEvent is one perf_event_open event of a backend.
type perfEvent struct {
	event  Event
	typ    uint32
	config uint64
}

// Perf is a backend over perf_event_open: pmu (hardware instructions and
// cycles) or taskclock (software task-clock). It counts user space only.
type Perf struct {
	name   string
	events []perfEvent
	sys    perfSys
}

// NewPMU returns the pmu backend: hardware instructions (primary) and
// cycles, counted as one group in user space only.
func NewPMU() *Perf {
	return &Perf{name: PMUName, sys: kernelSys{}, events: []perfEvent{
		{EventInstructions, unix.PERF_TYPE_HARDWARE, unix.PERF_COUNT_HW_INSTRUCTIONS},
		{EventCycles, unix.PERF_TYPE_HARDWARE, unix.PERF_COUNT_HW_CPU_CYCLES},
	}}
}

// NewTaskClock returns the taskclock backend: the software task-clock
// event, in nanoseconds. It measures time, not instructions.
func NewTaskClock() *Perf {
	return &Perf{name: TaskClockName, sys: kernelSys{}, events: []perfEvent{
		{EventTaskClock, unix.PERF_TYPE_SOFTWARE, unix.PERF_COUNT_SW_TASK_CLOCK},
	}}
}

// Name implements Backend.
func (p *Perf) Name() string { return p.name }

// Events implements Backend.
func (p *Perf) Events() []Event {
	out := make([]Event, len(p.events))
	for i, e := range p.events {
		out[i] = e.event
	}
	return out
}

// Describe implements Backend.
func (p *Perf) Describe() string {
	if p.name == TaskClockName {
		return "perf_event_open software task-clock (time in ns, not instructions), whole process tree"
	}
	return "perf_event_open hardware instructions and cycles, user space only, whole process tree"
}

// Probe implements Backend: it opens the primary event on the calling
// thread, counts a little work and checks that the counter ran.
func (p *Perf) Probe(ctx context.Context) error {
	_, err := p.Span(func() {
		x := 0
		for i := range 100000 {
			x += i
		}
		runtime.KeepAlive(x)
	})
	if err != nil {
		if errors.Is(err, ErrNotCounted) {
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return err
	}
	return nil
}

const (
	spanMode    = false
	processMode = true
)

// attr returns the perf_event_attr of event i. The leader (i == 0) starts
// disabled; members follow it. In process mode the counters are
// inherited by children forked later and enabled when the child execs.
func (p *Perf) attr(i int, process bool) *unix.PerfEventAttr {
	e := p.events[i]
	attr := &unix.PerfEventAttr{
		Type:   e.typ,
		Config: e.config,
		// Unprivileged users may count their own user space only
		// (kernel.perf_event_paranoid = 2 refuses kernel counting).
		Bits:        unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv,
		Read_format: unix.PERF_FORMAT_TOTAL_TIME_ENABLED | unix.PERF_FORMAT_TOTAL_TIME_RUNNING,
	}
	attr.Size = uint32(unsafe.Sizeof(*attr))
	if i == 0 {
		attr.Bits |= unix.PerfBitDisabled
	}
	if process {
		attr.Bits |= unix.PerfBitInherit
		if i == 0 {
			attr.Bits |= unix.PerfBitEnableOnExec
		}
	} else {
		attr.Read_format |= unix.PERF_FORMAT_GROUP
	}
	return attr
}

// open opens all events as one group on the calling thread and returns
// their descriptors, leader first.
func (p *Perf) open(process bool) ([]int, error) {
	var fds []int
	for i, e := range p.events {
		group := -1
		if i > 0 {
			group = fds[0]
		}
		fd, err := p.sys.Open(p.attr(i, process), 0, -1, group, unix.PERF_FLAG_FD_CLOEXEC)
		if err != nil {
			p.closeAll(fds)
			return nil, p.openError(e.event, err)
		}
		fds = append(fds, fd)
	}
	return fds, nil
}

func (p *Perf) closeAll(fds []int) {
	for i := len(fds) - 1; i >= 0; i-- {
		_ = p.sys.Close(fds[i])
	}
}

// openError explains why perf_event_open refused an event.
func (p *Perf) openError(e Event, err error) error {
	switch {
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENODEV):
		return fmt.Errorf("%w: perf_event_open(%s): %w: this machine exposes no such counter (virtual machines and CI runners usually have no hardware counters)", ErrUnavailable, e.Name, err)
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM):
		return fmt.Errorf("%w: perf_event_open(%s): %w: not permitted (kernel.perf_event_paranoid is %s; user-space counting needs <= 2, or CAP_PERFMON)", ErrUnavailable, e.Name, err, paranoid())
	case errors.Is(err, unix.ENOSYS):
		return fmt.Errorf("%w: perf_event_open(%s): %w: the kernel has no perf events, or a seccomp filter blocks them", ErrUnavailable, e.Name, err)
	}
	return fmt.Errorf("perf_event_open(%s): %w", e.Name, err)
}

func paranoid() string {
	b, err := os.ReadFile("/proc/sys/kernel/perf_event_paranoid")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// Span implements SpanCounter: it counts fn on the calling thread only.
// The goroutine stays locked to its OS thread while counting, so the
// figures do not include other goroutines nor miss work after a move.
func (p *Perf) Span(fn func()) (Reading, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	fds, err := p.open(spanMode)
	if err != nil {
		return Reading{}, err
	}
	defer p.closeAll(fds)
	leader := fds[0]
	if err := p.sys.Ioctl(leader, unix.PERF_EVENT_IOC_RESET, unix.PERF_IOC_FLAG_GROUP); err != nil {
		return Reading{}, fmt.Errorf("resetting %s counters: %w", p.name, err)
	}
	if err := p.sys.Ioctl(leader, unix.PERF_EVENT_IOC_ENABLE, unix.PERF_IOC_FLAG_GROUP); err != nil {
		return Reading{}, fmt.Errorf("enabling %s counters: %w", p.name, err)
	}
	fn()
	if err := p.sys.Ioctl(leader, unix.PERF_EVENT_IOC_DISABLE, unix.PERF_IOC_FLAG_GROUP); err != nil {
		return Reading{}, fmt.Errorf("disabling %s counters: %w", p.name, err)
	}
	return p.readGroup(leader)
}

// Run implements Backend. The counters are opened on the calling thread,
// disabled, with inherit and enable_on_exec: the child forked from this
// thread inherits them and starts counting at exec, and its counts (all
// its threads and children) are added to ours when it exits. Our own
// thread never enables them, so the parent's work is not counted.
func (p *Perf) Run(ctx context.Context, c Command) (Reading, error) {
	runtime.LockOSThread()
	// The thread must stay locked until the counters are closed: any
	// process forked from it meanwhile would be counted too.
	defer runtime.UnlockOSThread()
	fds, err := p.open(processMode)
	if err != nil {
		return Reading{}, err
	}
	defer p.closeAll(fds)
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env, cmd.Dir = c.Env, c.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	if err := cmd.Run(); err != nil {
		return Reading{}, fmt.Errorf("running %s: %w", c.Path, err)
	}
	r := Reading{Backend: p.name}
	for i, fd := range fds {
		v, err := p.readOne(fd)
		if err != nil {
			return Reading{}, err
		}
		cnt, scaled, err := scale(p.events[i].event, v.value, v.enabled, v.running)
		if err != nil {
			return Reading{}, err
		}
		if i == 0 {
			r.Enabled, r.Running = time.Duration(v.enabled), time.Duration(v.running)
		}
		r.Scaled = r.Scaled || scaled
		r.Counts = append(r.Counts, cnt)
	}
	r.Notes = scaleNotes(r)
	return r, nil
}

type single struct{ value, enabled, running uint64 }

// readOne reads a counter opened without PERF_FORMAT_GROUP:
// {value, time_enabled, time_running}.
func (p *Perf) readOne(fd int) (single, error) {
	buf := make([]byte, 3*8)
	n, err := p.sys.Read(fd, buf)
	if err != nil {
		return single{}, fmt.Errorf("reading %s counter: %w", p.name, err)
	}
	if n != len(buf) {
		return single{}, fmt.Errorf("reading %s counter: got %d bytes, want %d", p.name, n, len(buf))
	}
	u := binary.NativeEndian.Uint64
	return single{u(buf[0:]), u(buf[8:]), u(buf[16:])}, nil
}

// readGroup reads a group leader opened with PERF_FORMAT_GROUP:
// {nr, time_enabled, time_running, value[nr]}.
func (p *Perf) readGroup(leader int) (Reading, error) {
	buf := make([]byte, (3+len(p.events))*8)
	n, err := p.sys.Read(leader, buf)
	if err != nil {
		return Reading{}, fmt.Errorf("reading %s counter group: %w", p.name, err)
	}
	if n < 3*8 {
		return Reading{}, fmt.Errorf("reading %s counter group: short read of %d bytes", p.name, n)
	}
	u := binary.NativeEndian.Uint64
	nr, enabled, running := u(buf[0:]), u(buf[8:]), u(buf[16:])
	if nr != uint64(len(p.events)) || n != int(3+nr)*8 {
		return Reading{}, fmt.Errorf("reading %s counter group: %d events in %d bytes, want %d events", p.name, nr, n, len(p.events))
	}
	r := Reading{Backend: p.name, Enabled: time.Duration(enabled), Running: time.Duration(running)}
	for i, e := range p.events {
		cnt, scaled, err := scale(e.event, u(buf[(3+i)*8:]), enabled, running)
		if err != nil {
			return Reading{}, err
		}
		r.Scaled = r.Scaled || scaled
		r.Counts = append(r.Counts, cnt)
	}
	r.Notes = scaleNotes(r)
	return r, nil
}

// scale extrapolates a multiplexed count to the whole enabled time. A
// counter that never ran has no value: that is an error, never zero.
func scale(e Event, raw, enabled, running uint64) (Count, bool, error) {
	if running == 0 {
		return Count{}, false, fmt.Errorf("%s: %w", e.Name, ErrNotCounted)
	}
	if running >= enabled {
		return Count{Event: e, Value: float64(raw), Raw: raw}, false, nil
	}
	return Count{Event: e, Value: float64(raw) * float64(enabled) / float64(running), Raw: raw}, true, nil
}

func scaleNotes(r Reading) []string {
	if !r.Scaled {
		return nil
	}
	return []string{fmt.Sprintf("counters multiplexed: ran %.1f%% of the enabled time, counts scaled up", 100*float64(r.Running)/float64(r.Enabled))}
}
