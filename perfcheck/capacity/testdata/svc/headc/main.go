// Command headc is a synthetic service for the perf capacity noise benchmark
// (scripts/capacity-noise.sh): a head modestly better than base, 20% less
// arithmetic per request (+25% capacity when CPU binds).
package main

import (
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

// iterations is the CPU work per request (xorshift rounds).
const iterations = 240000

// holdMiB and hold: each request keeps a buffer of holdMiB MiB for hold,
// like a response buffered for a slow client (0: none).
const (
	holdMiB = 0
	hold    = 0 * time.Millisecond
)

func work(n int, x uint64) uint64 {
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

func handle(w http.ResponseWriter, r *http.Request) {
	x := work(iterations, uint64(time.Now().UnixNano())|1)
	if holdMiB > 0 {
		buf := make([]byte, holdMiB<<20)
		// Touch every page: fresh pages that are never written do not
		// count in RSS. clear is a vectorized memclr: few instructions.
		clear(buf)
		buf[len(buf)-1] = byte(x)
		time.Sleep(hold)
		x += uint64(buf[len(buf)-1])
	}
	w.Write(strconv.AppendUint(nil, x, 10))
}

func main() {
	http.HandleFunc("/work", handle)
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}
