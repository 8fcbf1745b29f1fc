//go:build !linux

package service

import (
	"os"
	"os/exec"
)

// setProcAttr does nothing here: process groups and Pdeathsig are set up
// on Linux only, so a service's own children may outlive Stop, and the
// service outlives upshift if upshift is killed outright.
func setProcAttr(cmd *exec.Cmd) {}

// killGroup kills the process itself (there is no group of its own).
func killGroup(p *os.Process) {
	_ = p.Kill()
}
