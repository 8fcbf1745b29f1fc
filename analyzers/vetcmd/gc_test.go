package vetcmd

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// collect runs a collection and waits until the watch has seen it (its
// finalizer runs on the finalizer goroutine, after the cycle).
func collect(t *testing.T, state func() (int64, bool)) bool {
	t.Helper()
	before, _ := state()
	runtime.GC()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if n, restored := state(); n > before {
			return restored
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the watch saw no collection")
	return false
}

func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetGCPercent(100)

	// Garbage only: the collection finds little live, and the collector
	// stays off.
	state := tuneGC()
	var sink []byte
	for range 3 * GCBudget / (1 << 20) {
		sink = make([]byte, 1<<20)
	}
	_ = sink
	if collect(t, state) {
		t.Fatal("default pacing put back with a small live heap")
	}
	if old := debug.SetGCPercent(-1); old != -1 {
		t.Fatalf("GOGC = %d while under the budget, want off", old)
	}

	// A live heap above half the budget puts the default pacing back.
	live := make([][]byte, 0, GCBudget/(1<<20))
	for range cap(live) * 3 / 4 {
		live = append(live, make([]byte, 1<<20))
	}
	if !collect(t, state) {
		t.Fatal("default pacing not put back with a live heap above half the budget")
	}
	if old := debug.SetGCPercent(100); old != 100 {
		t.Fatalf("GOGC = %d after the large heap, want 100", old)
	}
	runtime.KeepAlive(live)
}

func TestTuneGCLeavesUserSettings(t *testing.T) {
	t.Setenv("GOGC", "50")
	before := debug.SetGCPercent(77)
	defer debug.SetGCPercent(before)
	tuneGC()
	if got := debug.SetGCPercent(before); got != 77 {
		t.Errorf("GOGC changed to %d although the user set GOGC", got)
	}
}
