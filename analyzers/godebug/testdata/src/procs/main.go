// Command procs is a worker service sizing its pools from GOMAXPROCS.
package main

import (
	"runtime"
	"sync"
)

var workers = runtime.GOMAXPROCS(0) // want `runtime\.GOMAXPROCS\(0\) is read once during package initialisation.*GODEBUG updatemaxprocs changed in go1\.25.*godebug updatemaxprocs=0`

var shards []sync.Mutex

func init() {
	shards = make([]sync.Mutex, 4*runtime.GOMAXPROCS(0)) // want `runtime\.GOMAXPROCS\(0\) is read once during package initialisation`
}

func main() {
	runtime.GOMAXPROCS(runtime.NumCPU()) // want `runtime\.GOMAXPROCS\(runtime\.NumCPU\(\)\) overrides the container-aware default of go1\.25.*GODEBUG containermaxprocs changed in go1\.25.*godebug containermaxprocs=0`
	run(workers)
}

func run(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// Reads at the point of use follow the current value.
func poolSize() int { return runtime.GOMAXPROCS(0) }

var lazySize = func() int { return runtime.GOMAXPROCS(0) }

var cpus = runtime.NumCPU()

func pin() { runtime.GOMAXPROCS(4) }

func (p *pool) resize() { p.n = runtime.GOMAXPROCS(0) }

type pool struct{ n int }
