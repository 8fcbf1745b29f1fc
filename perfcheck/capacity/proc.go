package capacity

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of utime and stime in /proc/PID/stat. The kernel's
// ABI fixes USER_HZ at 100 on every architecture Go supports on Linux,
// whatever the kernel's internal HZ.
const userHZ = 100

// ProcCPU returns the CPU time (user + system, all threads, living and
// exited) the process has used, from /proc/PID/stat. Its resolution is
// 10ms, which is why steps last seconds.
func ProcCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading CPU time: %w", err)
	}
	return parseStatCPU(b)
}

// parseStatCPU reads utime and stime (fields 14 and 15) from a
// /proc/PID/stat line. The command name (field 2) is in parentheses and
// may itself contain spaces and parentheses, so fields are counted after
// the last ')'.
func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat line %q", b)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime field 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc stat line %q", b)
	}
	var ticks int64
	for _, s := range f[11:13] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad CPU time %q in /proc stat", s)
		}
		ticks += v
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// Memory is the resident set size of a process, in bytes.
type Memory struct {
	// RSS is the current resident set size; HWM the peak since start or
	// since the last ResetPeak.
	RSS, HWM int64
}

// ProcMemory reads VmRSS and VmHWM from /proc/PID/status.
func ProcMemory(pid int) (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, fmt.Errorf("reading memory use: %w", err)
	}
	return parseStatus(b)
}

func parseStatus(b []byte) (Memory, error) {
	var m Memory
	var seen int
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return Memory{}, fmt.Errorf("unexpected /proc status line %q", sc.Text())
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("unexpected /proc status line %q", sc.Text())
		}
		if k == "VmRSS" {
			m.RSS = n << 10
		} else {
			m.HWM = n << 10
		}
		seen++
	}
	if seen != 2 {
		return Memory{}, fmt.Errorf("/proc status has no VmRSS and VmHWM (a kernel thread, or the process exited)")
	}
	return m, nil
}

// ResetPeak resets the process's VmHWM to its current RSS (writing 5 to
// /proc/PID/clear_refs, Linux 4.0+), so each step's peak is its own.
func ResetPeak(pid int) error {
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		return fmt.Errorf("resetting peak RSS: %w", err)
	}
	return nil
}

// ProcSched returns the CPU time and the run-queue wait (time runnable
// but not running: the CPU was busy with something else) summed over the
// process's threads, from /proc/PID/task/*/schedstat (nanoseconds).
// Threads that exited are missing; a Go service's threads live as long
// as it does.
func ProcSched(pid int) (cpu, wait time.Duration, err error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, fmt.Errorf("reading scheduler statistics: %w", err)
	}
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited meanwhile
		}
		c, w, err := parseSchedstat(b)
		if err != nil {
			return 0, 0, err
		}
		cpu += c
		wait += w
	}
	return cpu, wait, nil
}

// parseSchedstat reads "cpu_ns wait_ns timeslices".
func parseSchedstat(b []byte) (cpu, wait time.Duration, err error) {
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, 0, fmt.Errorf("malformed schedstat %q", b)
	}
	c, err1 := strconv.ParseInt(f[0], 10, 64)
	w, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("malformed schedstat %q", b)
	}
	return time.Duration(c), time.Duration(w), nil
}

// MachineCPU is the whole machine's CPU time from /proc/stat (all CPUs).
type MachineCPU struct {
	// Busy is user, nice, system, irq and softirq time (guest time is
	// part of user); Steal is time the hypervisor ran something else
	// while this machine's virtual CPUs wanted to run.
	Busy, Steal time.Duration
}

// ProcMachine reads the aggregate "cpu" line of /proc/stat.
func ProcMachine() (MachineCPU, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return MachineCPU{}, fmt.Errorf("reading machine CPU time: %w", err)
	}
	return parseProcStat(b)
}

func parseProcStat(b []byte) (MachineCPU, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return MachineCPU{}, fmt.Errorf("malformed /proc/stat first line %q", line)
	}
	var v [8]int64
	for i := range v {
		n, err := strconv.ParseInt(f[i+1], 10, 64)
		if err != nil {
			return MachineCPU{}, fmt.Errorf("malformed /proc/stat first line %q", line)
		}
		v[i] = n
	}
	// user nice system idle iowait irq softirq steal
	tick := time.Second / userHZ
	return MachineCPU{
		Busy:  time.Duration(v[0]+v[1]+v[2]+v[5]+v[6]) * tick,
		Steal: time.Duration(v[7]) * tick,
	}, nil
}

// CPUMHz returns the lowest and highest current clock frequency over
// the CPUs, from /proc/cpuinfo's "cpu MHz" lines; ok is false where the
// kernel does not show them (then frequency changes are invisible).
func CPUMHz() (lo, hi float64, ok bool) {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0, 0, false
	}
	return parseCPUMHz(b)
}

func parseCPUMHz(b []byte) (lo, hi float64, ok bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, found := strings.Cut(sc.Text(), ":")
		if !found || strings.TrimSpace(k) != "cpu MHz" {
			continue
		}
		mhz, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || mhz <= 0 {
			continue
		}
		if !ok || mhz < lo {
			lo = mhz
		}
		if !ok || mhz > hi {
			hi = mhz
		}
		ok = true
	}
	return lo, hi, ok
}
