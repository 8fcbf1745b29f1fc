//go:build linux

package counter

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// fakeSys records what the counting code asks of the kernel and answers
// reads with canned perf_event read layouts.
type fakeSys struct {
	openErr map[uint64]error // by event config
	opened  []fakeOpen
	ioctls  []fakeIoctl
	reads   map[int][]uint64 // by fd
	closed  []int
	calls   []string
	nextFD  int
}

type fakeOpen struct {
	attr       unix.PerfEventAttr
	pid, cpu   int
	group, flg int
	fd         int
}

type fakeIoctl struct {
	fd  int
	req uint
	arg int
}

func newFake() *fakeSys {
	return &fakeSys{nextFD: 10, reads: map[int][]uint64{}, openErr: map[uint64]error{}}
}

func (f *fakeSys) Open(attr *unix.PerfEventAttr, pid, cpu, group, flags int) (int, error) {
	if err := f.openErr[attr.Config]; err != nil {
		return -1, err
	}
	fd := f.nextFD
	f.nextFD++
	f.opened = append(f.opened, fakeOpen{*attr, pid, cpu, group, flags, fd})
	f.calls = append(f.calls, "open")
	return fd, nil
}

func (f *fakeSys) Ioctl(fd int, req uint, arg int) error {
	f.ioctls = append(f.ioctls, fakeIoctl{fd, req, arg})
	switch req {
	case unix.PERF_EVENT_IOC_ENABLE:
		f.calls = append(f.calls, "enable")
	case unix.PERF_EVENT_IOC_DISABLE:
		f.calls = append(f.calls, "disable")
	case unix.PERF_EVENT_IOC_RESET:
		f.calls = append(f.calls, "reset")
	}
	return nil
}

func (f *fakeSys) Read(fd int, p []byte) (int, error) {
	words, ok := f.reads[fd]
	if !ok {
		return 0, unix.EBADF
	}
	n := 0
	for _, w := range words {
		if n+8 > len(p) {
			break
		}
		binary.NativeEndian.PutUint64(p[n:], w)
		n += 8
	}
	f.calls = append(f.calls, "read")
	return n, nil
}

func (f *fakeSys) Close(fd int) error {
	f.closed = append(f.closed, fd)
	return nil
}

func fakePMU(f *fakeSys) *Perf {
	p := NewPMU()
	p.sys = f
	return p
}

func TestSpanGroupRead(t *testing.T) {
	f := newFake()
	// The leader is opened first (fd 10); the group read comes from it:
	// {nr, time_enabled, time_running, instructions, cycles}.
	f.reads[10] = []uint64{2, 5000, 5000, 123456, 98765}
	p := fakePMU(f)
	ran := false
	r, err := p.Span(func() {
		ran = true
		f.calls = append(f.calls, "fn")
	})
	require.NoError(t, err)
	assert.True(t, ran)

	assert.Equal(t, []string{"open", "open", "reset", "enable", "fn", "disable", "read"}, f.calls)
	require.Len(t, f.opened, 2)
	leader, member := f.opened[0], f.opened[1]
	assert.Equal(t, uint64(unix.PERF_COUNT_HW_INSTRUCTIONS), leader.attr.Config)
	assert.Equal(t, uint64(unix.PERF_COUNT_HW_CPU_CYCLES), member.attr.Config)
	for _, o := range f.opened {
		assert.Equal(t, uint32(unix.PERF_TYPE_HARDWARE), o.attr.Type)
		assert.NotZero(t, o.attr.Bits&unix.PerfBitExcludeKernel, "user space only")
		assert.NotZero(t, o.attr.Bits&unix.PerfBitExcludeHv, "user space only")
		assert.Zero(t, o.attr.Bits&unix.PerfBitInherit, "a span counts one thread")
		assert.NotZero(t, o.attr.Read_format&unix.PERF_FORMAT_GROUP)
		assert.Equal(t, 0, o.pid, "the calling thread")
		assert.Equal(t, -1, o.cpu, "any CPU")
		assert.Equal(t, unix.PERF_FLAG_FD_CLOEXEC, o.flg)
		assert.NotZero(t, o.attr.Size)
	}
	assert.NotZero(t, leader.attr.Bits&unix.PerfBitDisabled, "leader starts disabled")
	assert.Zero(t, member.attr.Bits&unix.PerfBitDisabled, "members follow the leader")
	assert.Equal(t, -1, leader.group)
	assert.Equal(t, leader.fd, member.group)
	for _, io := range f.ioctls {
		assert.Equal(t, leader.fd, io.fd)
		assert.Equal(t, unix.PERF_IOC_FLAG_GROUP, io.arg)
	}
	assert.ElementsMatch(t, []int{10, 11}, f.closed)

	assert.Equal(t, PMUName, r.Backend)
	assert.False(t, r.Scaled)
	assert.Empty(t, r.Notes)
	assert.Equal(t, EventInstructions, r.Primary().Event)
	assert.Equal(t, 123456.0, r.Primary().Value)
	cycles, ok := r.Value(EventCycles)
	assert.True(t, ok)
	assert.Equal(t, 98765.0, cycles)
}

func TestSpanScalesMultiplexedCounts(t *testing.T) {
	f := newFake()
	f.reads[10] = []uint64{2, 4000, 1000, 1000, 3000}
	r, err := fakePMU(f).Span(func() {})
	require.NoError(t, err)
	assert.True(t, r.Scaled)
	assert.Equal(t, 4000.0, r.Primary().Value)
	assert.Equal(t, uint64(1000), r.Primary().Raw)
	c, _ := r.Value(EventCycles)
	assert.Equal(t, 12000.0, c)
	require.Len(t, r.Notes, 1)
	assert.Contains(t, r.Notes[0], "25.0%")
}

func TestSpanNotCountedIsAnErrorNotZero(t *testing.T) {
	f := newFake()
	f.reads[10] = []uint64{2, 4000, 0, 0, 0}
	r, err := fakePMU(f).Span(func() {})
	require.ErrorIs(t, err, ErrNotCounted)
	assert.Contains(t, err.Error(), "instructions")
	assert.Contains(t, err.Error(), "never ran")
	assert.Empty(t, r.Counts, "no value may be reported")
}

func TestSpanBadGroupRead(t *testing.T) {
	f := newFake()
	f.reads[10] = []uint64{3, 10, 10, 1, 2}
	_, err := fakePMU(f).Span(func() {})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "3 events")

	f = newFake()
	f.reads[10] = []uint64{2}
	_, err = fakePMU(f).Span(func() {})
	require.ErrorContains(t, err, "short read")
}

func TestProbeExplainsOpenFailures(t *testing.T) {
	for _, tc := range []struct {
		errno error
		want  string
	}{
		{unix.ENOENT, "no such counter"},
		{unix.EOPNOTSUPP, "no such counter"},
		{unix.EACCES, "perf_event_paranoid"},
		{unix.EPERM, "perf_event_paranoid"},
		{unix.ENOSYS, "seccomp"},
	} {
		t.Run(tc.errno.Error(), func(t *testing.T) {
			f := newFake()
			f.openErr[unix.PERF_COUNT_HW_INSTRUCTIONS] = tc.errno
			err := fakePMU(f).Probe(context.Background())
			require.ErrorIs(t, err, ErrUnavailable)
			require.ErrorIs(t, err, tc.errno)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestProbeMemberFailureClosesLeader(t *testing.T) {
	f := newFake()
	f.openErr[unix.PERF_COUNT_HW_CPU_CYCLES] = unix.ENOENT
	err := fakePMU(f).Probe(context.Background())
	require.ErrorIs(t, err, ErrUnavailable)
	assert.Contains(t, err.Error(), "cycles")
	assert.Equal(t, []int{10}, f.closed)
}

func TestProbeNotCountedIsUnavailable(t *testing.T) {
	f := newFake()
	f.reads[10] = []uint64{2, 100, 0, 0, 0}
	err := fakePMU(f).Probe(context.Background())
	require.ErrorIs(t, err, ErrUnavailable)
	require.ErrorIs(t, err, ErrNotCounted)
}

func TestRunCountsChildProcess(t *testing.T) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1) on PATH")
	}
	f := newFake()
	// Process mode reads each counter alone: {value, enabled, running}.
	f.reads[10] = []uint64{5_000_000, 900, 300}
	f.reads[11] = []uint64{7_000_000, 900, 300}
	r, err := fakePMU(f).Run(context.Background(), Command{Path: truePath})
	require.NoError(t, err)
	require.Len(t, f.opened, 2)
	leader, member := f.opened[0], f.opened[1]
	assert.NotZero(t, leader.attr.Bits&unix.PerfBitDisabled)
	assert.NotZero(t, leader.attr.Bits&unix.PerfBitEnableOnExec, "counting starts at the child's exec")
	assert.Zero(t, member.attr.Bits&unix.PerfBitDisabled)
	for _, o := range f.opened {
		assert.NotZero(t, o.attr.Bits&unix.PerfBitInherit, "the child inherits the counters")
		assert.Zero(t, o.attr.Read_format&unix.PERF_FORMAT_GROUP)
		assert.NotZero(t, o.attr.Bits&unix.PerfBitExcludeKernel)
	}
	assert.Empty(t, f.ioctls, "the parent never enables the counters")
	assert.Equal(t, 15_000_000.0, r.Primary().Value)
	c, _ := r.Value(EventCycles)
	assert.Equal(t, 21_000_000.0, c)
	assert.True(t, r.Scaled)
	assert.ElementsMatch(t, []int{10, 11}, f.closed)
}

func TestRunChildFailure(t *testing.T) {
	falsePath, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false(1) on PATH")
	}
	f := newFake()
	_, err = fakePMU(f).Run(context.Background(), Command{Path: falsePath})
	require.Error(t, err)
	var ee *exec.ExitError
	assert.ErrorAs(t, err, &ee)
	assert.ElementsMatch(t, []int{10, 11}, f.closed)
}

// TestRealPMU runs on machines with hardware counters and skips elsewhere
// (these machines and CI have none).
func TestRealPMU(t *testing.T) {
	p := NewPMU()
	if err := p.Probe(context.Background()); err != nil {
		t.Skipf("no usable hardware counters here: %v", err)
	}
	small, err := p.Span(func() { busy(1000) })
	require.NoError(t, err)
	large, err := p.Span(func() { busy(1000000) })
	require.NoError(t, err)
	assert.Greater(t, large.Primary().Value, 100*small.Primary().Value/2)
	r, err := p.Run(context.Background(), Command{Path: os.Args[0], Args: []string{"-test.run=^$"}})
	require.NoError(t, err)
	assert.Greater(t, r.Primary().Value, 1e5)
}

func TestTaskClockSpan(t *testing.T) {
	tc := NewTaskClock()
	if err := tc.Probe(context.Background()); err != nil {
		t.Skipf("task-clock unavailable: %v", err)
	}
	r, err := tc.Span(func() { busy(5_000_000) })
	require.NoError(t, err)
	assert.Equal(t, TaskClockName, r.Backend)
	assert.Equal(t, "ns", r.Primary().Event.Unit, "task-clock is time, not instructions")
	assert.Greater(t, r.Primary().Value, 0.0)
	assert.Greater(t, r.Running, time.Duration(0))
}

func TestTaskClockChildProcess(t *testing.T) {
	tc := NewTaskClock()
	if err := tc.Probe(context.Background()); err != nil {
		t.Skipf("task-clock unavailable: %v", err)
	}
	var out strings.Builder
	r, err := tc.Run(context.Background(), Command{
		Path:   os.Args[0],
		Args:   []string{"-test.run=^TestHelperBusy$"},
		Env:    append(os.Environ(), "UPSHIFT_COUNTER_HELPER=1"),
		Stdout: &out,
	})
	require.NoError(t, err, out.String())
	// The helper spins for a while; the parent's own work is excluded,
	// the child's is included.
	assert.Greater(t, r.Primary().Value, 1e6, "at least 1ms of task time")
	assert.Equal(t, EventTaskClock, r.Primary().Event)
}

func TestHelperBusy(t *testing.T) {
	if os.Getenv("UPSHIFT_COUNTER_HELPER") != "1" {
		t.Skip("helper process for TestTaskClockChildProcess")
	}
	busy(20_000_000)
}

var sink uint64

func busy(n int) {
	h := uint64(1)
	for i := 0; i < n; i++ {
		h = h*31 + uint64(i)
	}
	sink += h
	runtime.KeepAlive(h)
}

func TestSelect(t *testing.T) {
	_, _, err := Select(context.Background(), "bogus")
	require.ErrorContains(t, err, "unknown counter backend")

	b, tried, err := Select(context.Background(), AutoName)
	if err != nil {
		t.Skipf("no backend works here: %v", err)
	}
	require.NotEmpty(t, tried)
	last := tried[len(tried)-1]
	assert.Equal(t, b.Name(), last.Backend)
	assert.NoError(t, last.Err)
	for _, p := range tried[:len(tried)-1] {
		assert.True(t, errors.Is(p.Err, ErrUnavailable), "%s: %v", p.Backend, p.Err)
	}
}
