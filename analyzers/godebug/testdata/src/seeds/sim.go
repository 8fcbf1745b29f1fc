// Package seeds is a load simulator that replays a traffic mix from a seed.
package seeds

import (
	crand "crypto/rand"
	"encoding/binary"
	"flag"
	"math/rand"
	"os"
	"time"
)

type Config struct {
	Seed  int64
	Users int
}

var seedFlag = flag.Int64("seed", 0, "seed for a reproducible run")

// replay reseeds the global source so that a run can be repeated.
func replay(cfg Config) []int {
	rand.Seed(cfg.Seed) // want `rand\.Seed\(cfg\.Seed\) is a no-op from go1\.24.*GODEBUG randseednop changed in go1\.24.*rand\.New\(rand\.NewSource\(seed\)\), or keep the old behaviour with .godebug randseednop=0.`
	out := make([]int, cfg.Users)
	for i := range out {
		out[i] = rand.Intn(100)
	}
	return out
}

func fixture() {
	rand.Seed(42) // want `rand\.Seed\(42\) is a no-op from go1\.24`
}

func fromFlag() {
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	rand.Seed(seed) // want `rand\.Seed\(seed\) is a no-op`
}

func withParam(seed int64) {
	rand.Seed(seed) // want `rand\.Seed\(seed\) is a no-op`
}

// Seeds from the clock or crypto/rand were random anyway: nothing changes.
func init() {
	rand.Seed(time.Now().UnixNano())
}

func seedFromClock() {
	seed := time.Now().UnixNano() + int64(os.Getpid())
	rand.Seed(seed)
}

func seedFromCrypto() {
	var b [8]byte
	crand.Read(b[:])
	rand.Seed(int64(binary.LittleEndian.Uint64(b[:])) ^ time.Now().Unix())
}

// Local generators are unaffected.
func local(cfg Config) int {
	r := rand.New(rand.NewSource(cfg.Seed))
	r.Seed(cfg.Seed + 1)
	return r.Intn(10)
}

func seedFromCryptoBytes() {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(err)
	}
	rand.Seed(int64(binary.LittleEndian.Uint64(b[:])))
}

func seedIgnored() {
	//upshift:ignore godebug only used by the local benchmark harness, which pins go 1.23
	rand.Seed(7)
}

func unixNano() int64 { return time.Now().UnixNano() }

// A clock helper of the package counts as the clock.
func seedFromHelper() {
	rand.Seed(unixNano())
}
