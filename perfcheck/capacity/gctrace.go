package capacity

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A GCCycle is one line of GODEBUG=gctrace=1 output:
//
//	gc 5 @0.178s 4%: 0.079+3.1+0.006 ms clock, 0.15+1.2/0.095/0+0.012 ms cpu, 4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P
//
// The cpu fields are sweep termination (stop-the-world), mark assist /
// background mark / idle mark, and mark termination (stop-the-world).
type GCCycle struct {
	// N is the cycle number.
	N int
	// CPU is the GC's CPU time in the cycle without idle marking: idle
	// mark workers only use a P nothing else wanted, so they cost no
	// capacity (and at capacity there is no idle P).
	CPU time.Duration
	// IdleCPU is the idle mark workers' CPU time.
	IdleCPU time.Duration
	// HeapStart, HeapEnd and HeapLive are the heap sizes in bytes at the
	// start and end of the cycle and the marked (live) heap.
	HeapStart, HeapEnd, HeapLive int64
	// Forced is true for a cycle forced by runtime.GC or debug.FreeOSMemory.
	Forced bool
}

// ParseGCTrace parses one gctrace line. ok is false for lines that are
// not gctrace lines (the service's own output); err is set for a line
// that looks like one but does not parse, so format changes in a future
// Go release are noticed instead of silently reading as zero GC.
func ParseGCTrace(line string) (c GCCycle, ok bool, err error) {
	rest, found := strings.CutPrefix(strings.TrimSpace(line), "gc ")
	if !found {
		return GCCycle{}, false, nil
	}
	num, rest, found := strings.Cut(rest, " ")
	n, nerr := strconv.Atoi(num)
	if !found || nerr != nil || !strings.HasPrefix(rest, "@") {
		return GCCycle{}, false, nil
	}
	bad := func(what string) (GCCycle, bool, error) {
		return GCCycle{}, true, fmt.Errorf("gctrace line %q: %s", line, what)
	}
	c.N = n
	c.Forced = strings.HasSuffix(rest, "(forced)")
	_, fields, found := strings.Cut(rest, ": ")
	if !found {
		return bad("no ': ' after the header")
	}
	parts := strings.Split(fields, ", ")
	if len(parts) < 3 {
		return bad("fewer than 3 comma-separated fields")
	}
	cpu, found := strings.CutSuffix(parts[1], " ms cpu")
	if !found {
		return bad("second field is not 'ms cpu'")
	}
	// a+assist/background/idle+c
	terms := strings.Split(cpu, "+")
	if len(terms) != 3 {
		return bad("cpu field is not a+b/c/d+e")
	}
	mark := strings.Split(terms[1], "/")
	if len(mark) != 3 {
		return bad("mark cpu is not assist/background/idle")
	}
	var ms [5]float64
	for i, s := range []string{terms[0], mark[0], mark[1], mark[2], terms[2]} {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 {
			return bad(fmt.Sprintf("bad cpu time %q", s))
		}
		ms[i] = v
	}
	c.CPU = msDuration(ms[0] + ms[1] + ms[2] + ms[4])
	c.IdleCPU = msDuration(ms[3])
	heap, found := strings.CutSuffix(parts[2], " MB")
	if !found {
		return bad("third field is not heap sizes in MB")
	}
	sizes := strings.Split(heap, "->")
	if len(sizes) != 3 {
		return bad("heap sizes are not start->end->live")
	}
	var mb [3]int64
	for i, s := range sizes {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return bad(fmt.Sprintf("bad heap size %q", s))
		}
		mb[i] = v << 20
	}
	c.HeapStart, c.HeapEnd, c.HeapLive = mb[0], mb[1], mb[2]
	return c, true, nil
}

func msDuration(ms float64) time.Duration {
	return time.Duration(ms * float64(time.Millisecond))
}

// GCSummary aggregates the cycles that ended within a window.
type GCSummary struct {
	Cycles int
	// CPU is the GC CPU time without idle marking (see GCCycle.CPU).
	CPU time.Duration
	// Allocated estimates the bytes allocated in the window: the heap at
	// the end of each cycle minus the live heap left by the previous
	// one. gctrace rounds to whole MB, so it is coarse, and it needs two
	// cycles in the window (0 otherwise).
	Allocated int64
}

// Summarize adds up cycles; prevLive is the live heap after the cycle
// before the window (-1 when unknown: then the first cycle only serves
// as the previous one).
func Summarize(cycles []GCCycle, prevLive int64) GCSummary {
	var s GCSummary
	for _, c := range cycles {
		s.Cycles++
		s.CPU += c.CPU
		if prevLive >= 0 && c.HeapEnd > prevLive {
			s.Allocated += c.HeapEnd - prevLive
		}
		prevLive = c.HeapLive
	}
	return s
}
