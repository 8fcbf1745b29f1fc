package vetcmd

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// GCBudget is the heap a vet tool process may grow to before it collects
// garbage for the first time. A tool process lives for one package: on
// most packages everything it allocates fits in the budget, and the
// collector, a fifth to a quarter of the process's CPU at Go's default
// pacing (GOGC=100; measured on go/types), never runs. The go command runs
// one tool process per CPU, so the budget is per CPU.
const GCBudget = 128 << 20

// tuneGC turns the collector off until the heap reaches GCBudget, unless
// the user set GOGC or GOMEMLIMIT. At the first collection, a live heap
// above half the budget (a package as large as aws-sdk-go-v2's ec2) puts
// Go's default pacing back: the process then grows no further than it
// would have with GOGC=100, and it does not collect back to back against
// the limit. It returns a function that reports, for tests, how many
// collections the watch saw and whether it put the default pacing back.
func tuneGC() (state func() (cycles int64, restored bool)) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() (int64, bool) { return 0, false }
	}
	var seen atomic.Int64
	var back atomic.Bool
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(GCBudget)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	// A finalizer runs after each collection that finds its object
	// unreachable: re-armed on a fresh object, it sees every cycle.
	var watch func(*[64]byte)
	watch = func(*[64]byte) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > GCBudget/2 {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			back.Store(true)
			seen.Add(1)
			return
		}
		seen.Add(1)
		runtime.SetFinalizer(new([64]byte), watch)
	}
	runtime.SetFinalizer(new([64]byte), watch)
	return func() (int64, bool) { return seen.Load(), back.Load() }
}
