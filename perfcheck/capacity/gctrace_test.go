package capacity

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

// testdata/gctrace-go1.26.txt holds real lines printed by go1.26.8 with
// GODEBUG=gctrace=1 (GOMAXPROCS 2 and 1, a forced cycle) and one line of
// a service's own log output.
func TestParseGCTraceRealLines(t *testing.T) {
	f, err := os.Open("testdata/gctrace-go1.26.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cycles []GCCycle
	other := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c, ok, err := ParseGCTrace(sc.Text())
		if err != nil {
			t.Fatalf("%v", err)
		}
		if !ok {
			other++
			continue
		}
		cycles = append(cycles, c)
	}
	if len(cycles) != 9 || other != 1 {
		t.Fatalf("parsed %d cycles and %d other lines; want 9 and 1", len(cycles), other)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	near := func(a, b time.Duration) bool { return (a - b).Abs() < time.Microsecond }
	// gc 1 @0.074s 4%: 9.3+5.0+0.075 ms clock, 18+0.22/7.2/0+0.15 ms cpu, 3->4->1 MB, ...
	if c := cycles[0]; c.N != 1 || !near(c.CPU, ms(18+0.22+7.2+0.15)) || c.IdleCPU != 0 ||
		c.HeapStart != 3<<20 || c.HeapEnd != 4<<20 || c.HeapLive != 1<<20 || c.Forced {
		t.Errorf("cycle 1 = %+v", c)
	}
	// gc 3 ...: 0.15+0.24/0.44/0.59+0.017 ms cpu: idle marking kept apart.
	if c := cycles[2]; !near(c.CPU, ms(0.15+0.24+0.44+0.017)) || !near(c.IdleCPU, ms(0.59)) {
		t.Errorf("cycle 3 = %+v", c)
	}
	if c := cycles[6]; c.N != 100 || !c.Forced {
		t.Errorf("cycle 100 should be forced: %+v", c)
	}
}

func TestParseGCTraceMalformed(t *testing.T) {
	for _, line := range []string{
		"gc 1 @0.1s 2%: garbage",
		"gc 1 @0.1s 2%: 1+2+3 ms clock, 1+2+3 ms cpu, 3->4->1 MB, 4 MB goal",
		"gc 1 @0.1s 2%: 1+2+3 ms clock, 1+x/2/3+4 ms cpu, 3->4->1 MB, 4 MB goal",
		"gc 1 @0.1s 2%: 1+2+3 ms clock, 1+1/2/3+4 ms cpu, 3->4 MB, 4 MB goal",
	} {
		if _, ok, err := ParseGCTrace(line); !ok || err == nil {
			t.Errorf("%q: ok=%v err=%v; want a parse error", line, ok, err)
		}
	}
	for _, line := range []string{"", "gc", "gcc 1 @", "gc warning: x", "GET /items 200"} {
		if _, ok, err := ParseGCTrace(line); ok || err != nil {
			t.Errorf("%q: ok=%v err=%v; want not a gctrace line", line, ok, err)
		}
	}
}

func TestSummarize(t *testing.T) {
	lines := []string{
		"gc 7 @1.0s 5%: 0.1+1+0.1 ms clock, 1+1/1/5+1 ms cpu, 10->12->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P",
		"gc 8 @1.1s 5%: 0.1+1+0.1 ms clock, 2+2/2/5+2 ms cpu, 9->10->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P",
	}
	var cs []GCCycle
	for _, l := range lines {
		c, _, err := ParseGCTrace(l)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	s := Summarize(cs, 1<<20)
	// allocated: (12-1) + (10-2) MB; CPU without idle: 4 + 8 ms.
	if s.Cycles != 2 || s.CPU != 12*time.Millisecond || s.Allocated != 19<<20 {
		t.Errorf("summary %+v", s)
	}
	if s := Summarize(cs, -1); s.Allocated != 8<<20 {
		t.Errorf("without the previous live heap, allocated = %d; want 8 MiB", s.Allocated)
	}
}

func TestParseStatAndStatus(t *testing.T) {
	stat := "4242 (we (ird) name) S 1 2 3 4 5 6 7 8 9 10 250 120 0 0 20 0 3 0 100 2000 300\n"
	cpu, err := parseStatCPU([]byte(stat))
	if err != nil || cpu != 3700*time.Millisecond {
		t.Errorf("parseStatCPU = %v, %v; want 3.7s", cpu, err)
	}
	if _, err := parseStatCPU([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("short stat line accepted")
	}
	status := "Name:\tx\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t5\n"
	m, err := parseStatus([]byte(status))
	if err != nil || m.HWM != 20<<20 || m.RSS != 10<<20 {
		t.Errorf("parseStatus = %+v, %v", m, err)
	}
	if _, err := parseStatus([]byte("Name:\tkthreadd\n")); err == nil {
		t.Error("status without VmRSS accepted")
	}
	c, w, err := parseSchedstat([]byte("123456 789 10\n"))
	if err != nil || c != 123456 || w != 789 {
		t.Errorf("parseSchedstat = %v %v %v", c, w, err)
	}
}

func TestProcOfSelf(t *testing.T) {
	pid := os.Getpid()
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 1; time.Now().Before(deadline); x = x*3 + 1 {
	}
	if cpu, err := ProcCPU(pid); err != nil || cpu <= 0 {
		t.Errorf("ProcCPU(self) = %v, %v", cpu, err)
	}
	if m, err := ProcMemory(pid); err != nil || m.RSS <= 0 || m.HWM < m.RSS {
		t.Errorf("ProcMemory(self) = %+v, %v", m, err)
	}
	if cpu, _, err := ProcSched(pid); err != nil || cpu <= 0 {
		t.Errorf("ProcSched(self) = %v, %v", cpu, err)
	}
}

func TestUnits(t *testing.T) {
	sizes := map[string]int64{"256MiB": 256 << 20, "1GiB": 1 << 30, "512MB": 512e6, "64M": 64 << 20, "2097152": 2 << 20, "1.5GiB": 3 << 29}
	for in, want := range sizes {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-5MiB", "12XB", "100KiB", "0"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
	if d, err := ParseSLO("p99=50ms"); err != nil || d != 50*time.Millisecond {
		t.Errorf("ParseSLO = %v, %v", d, err)
	}
	if d, err := ParseSLO("250ms"); err != nil || d != 250*time.Millisecond {
		t.Errorf("ParseSLO(bare) = %v, %v", d, err)
	}
	for _, bad := range []string{"p50=10ms", "p99=", "p99=-1s", "fast"} {
		if _, err := ParseSLO(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseSLO(%q): err = %v", bad, err)
		}
	}
	targets := map[string]float64{"+10%": 0.10, "0": 0, "-5%": -0.05, "2.5%": 0.025}
	for in, want := range targets {
		if got, err := ParseTarget(in); err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"ten", "-100%", "NaN"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) accepted", bad)
		}
	}
	if s := FormatBytes(256 << 20); s != "256.0MiB" {
		t.Errorf("FormatBytes = %q", s)
	}
}
