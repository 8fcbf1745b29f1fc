package service

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in its own process group, so that Stop kills
// grandchildren too (valgrind's setarch chain, a service's helpers) and
// ctrl-C on the terminal reaches only upshift, which then stops it.
// Pdeathsig covers upshift being killed outright.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the process group Setpgid created, which may outlive its
// leader. ESRCH (already gone) is fine.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
}
