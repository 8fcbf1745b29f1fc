//go:build !linux

package capacity

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
)

// CPUSet stands for a set of CPUs; CPU affinity is set on Linux only.
type CPUSet struct{}

// supported says why perf capacity cannot measure services here: it reads
// each service's CPU time, peak RSS and scheduler delay from Linux's /proc,
// which this system does not have. Build upshift for Linux (a container
// works) to run it.
func supported() error {
	return fmt.Errorf("perf capacity measures services through Linux's /proc (CPU time, peak RSS, scheduler delay) and CPU affinity; it is not available on %s yet: run it on Linux, for example in a container", runtime.GOOS)
}

// startPinned starts cmd: there is no CPU affinity to give it here.
func startPinned(cmd *exec.Cmd, set *CPUSet) error { return cmd.Start() }

// CanPin says that CPU affinity cannot be set here.
func CanPin(set *CPUSet) error {
	return errors.New("CPU affinity is set on Linux only")
}

// PickCPUs returns no affinity set: the budget is GOMAXPROCS only.
func PickCPUs(n int) (*CPUSet, string, error) {
	if n > runtime.NumCPU() {
		return nil, "", fmt.Errorf("-cpus %d: only %d CPUs are available", n, runtime.NumCPU())
	}
	return nil, "any CPU (no CPU affinity on " + runtime.GOOS + ")", nil
}

// PinProcess cannot move the load generator off the services' CPUs here.
func PinProcess(set *CPUSet) (restore func(), note string) {
	return func() {}, "the load generator is not kept off the services' CPUs (CPU affinity is set on Linux only)"
}
