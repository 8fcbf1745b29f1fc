package capacity

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// tailLines is how much of a service's output an error shows.
const tailLines = 40

// Build builds the main package pkg (a path or import path relative to
// the module at root) into binDir and returns the binary and the
// package's source directory, where the service is started so that it
// finds its relative files (config, templates).
func Build(ctx context.Context, root, pkg, binDir, name string) (bin, pkgDir string, err error) {
	out, err := goCmd(ctx, root, "list", "-e", "-f", "{{.Dir}}\t{{.Name}}\t{{if .Error}}{{.Error}}{{end}}", pkg)
	if err != nil {
		return "", "", fmt.Errorf("go list %s: %w", pkg, err)
	}
	line := strings.TrimRight(out, "\n")
	f := strings.SplitN(line, "\t", 3)
	switch {
	case len(f) != 3 || strings.Contains(line, "\n"):
		return "", "", fmt.Errorf("-pkg %s must name exactly one package (go list printed %q)", pkg, strings.TrimSpace(out))
	case f[2] != "":
		return "", "", fmt.Errorf("package %s: %s", pkg, f[2])
	case f[1] != "main":
		return "", "", fmt.Errorf("package %s is package %s, not a main package (a command)", pkg, f[1])
	}
	bin = filepath.Join(binDir, name)
	if _, err := goCmd(ctx, root, "build", "-o", bin, pkg); err != nil {
		return "", "", fmt.Errorf("go build %s: %w", pkg, err)
	}
	return bin, f[0], nil
}

func goCmd(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, strings.TrimSpace(stderr.String()+stdout.String()))
	}
	return stdout.String(), nil
}

// Budget is the fixed resource budget both sides run under.
type Budget struct {
	// CPUs is the number of CPUs: GOMAXPROCS in the child and the size of
	// its CPU affinity set.
	CPUs int
	// Memory is GOMEMLIMIT in the child and the RSS a step may reach.
	Memory int64
}

// ServiceSpec says how to start a service.
type ServiceSpec struct {
	// Label names the service in messages ("base", "head").
	Label string
	// Bin is the service binary; Dir its working directory.
	Bin, Dir string
	// Args are the binary's arguments.
	Args []string
	// Wrapper, when set, is the command line the binary runs under
	// (valgrind); Bin and Args are appended to it.
	Wrapper []string
	// Env is the complete environment, without PORT, which Start adds.
	Env []string
	// CPUSet, when non-nil, is the affinity the child inherits.
	CPUSet *unix.CPUSet
	// Out, when set, also receives every line the service prints
	// (gctrace lines included).
	Out io.Writer
}

// A Service is a running service process, in its own process group.
type Service struct {
	// Label names it in messages; Addr is its 127.0.0.1:PORT.
	Label, Addr string
	// PID is the process's id.
	PID int

	cmd    *exec.Cmd
	exited chan struct{}
	err    error // set before exited closes

	mu       sync.Mutex
	tail     []string
	gcs      []gcEvent
	gcErr    error
	gcLines  int
	readDone chan struct{}
}

type gcEvent struct {
	at time.Time
	c  GCCycle
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the service with PORT set to a free port. Its output is
// read line by line: gctrace lines are parsed, the rest kept as a tail
// for error messages. Stop must be called.
func Start(spec ServiceSpec) (*Service, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	argv := append(append(append([]string{}, spec.Wrapper...), spec.Bin), spec.Args...)
	// Not CommandContext: cancellation is Stop's job, which kills the
	// whole process group rather than one pid.
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = counter.MergeEnv(spec.Env, "PORT="+strconv.Itoa(port))
	// Own process group: Stop kills grandchildren too (valgrind's
	// setarch chain, a service's helpers), and ctrl-C on the terminal
	// reaches only upshift, which then stops it. Pdeathsig covers upshift
	// being killed outright.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Label, err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := startPinned(cmd, spec.CPUSet); err != nil {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("%s: starting %s: %w", spec.Label, spec.Bin, err)
	}
	pw.Close()
	s := &Service{
		Label: spec.Label, Addr: "127.0.0.1:" + strconv.Itoa(port), PID: cmd.Process.Pid,
		cmd: cmd, exited: make(chan struct{}), readDone: make(chan struct{}),
	}
	go s.read(pr, spec.Out)
	go func() {
		err := cmd.Wait()
		<-s.readDone
		s.err = err
		close(s.exited)
	}()
	return s, nil
}

// startPinned starts cmd from an OS thread whose CPU affinity is set, so
// the child inherits it (fork copies the calling thread's mask). The
// thread's own mask is restored before it goes back to the scheduler:
// the load generator must not inherit the restriction.
func startPinned(cmd *exec.Cmd, set *unix.CPUSet) error {
	if set == nil {
		return cmd.Start()
	}
	return onPinnedThread(set, cmd.Start)
}

// CanPin reports whether this process may set a thread's CPU affinity to
// set (containers can forbid it); the calling thread's mask is restored.
func CanPin(set *unix.CPUSet) error {
	return onPinnedThread(set, func() error { return nil })
}

// onPinnedThread runs f on a locked OS thread whose CPU affinity is set,
// then restores the thread's mask. It uses a goroutine of its own: if the
// mask cannot be restored that goroutine exits still locked, and the
// runtime destroys the restricted thread (and Pdeathsig the child started
// there with it) instead of reusing it.
func onPinnedThread(set *unix.CPUSet, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		var old unix.CPUSet
		if err := unix.SchedGetaffinity(0, &old); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("reading CPU affinity: %w", err)
			return
		}
		if err := unix.SchedSetaffinity(0, set); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setting CPU affinity: %w", err)
			return
		}
		fErr := f()
		if err := unix.SchedSetaffinity(0, &old); err != nil {
			if fErr == nil {
				fErr = fmt.Errorf("restoring CPU affinity: %w", err)
			}
			errc <- fErr // exits locked: the thread is discarded
			return
		}
		runtime.UnlockOSThread()
		errc <- fErr
	}()
	return <-errc
}

// PickCPUs returns the affinity set for a budget of n CPUs: the last n
// CPUs this process may run on (the first are where the kernel tends to
// put everything else), and a description such as "CPUs 1".
func PickCPUs(n int) (*unix.CPUSet, string, error) {
	var have unix.CPUSet
	if err := unix.SchedGetaffinity(0, &have); err != nil {
		return nil, "", fmt.Errorf("reading CPU affinity: %w", err)
	}
	var ids []int
	for i := 0; i < len(have)*64; i++ {
		if have.IsSet(i) {
			ids = append(ids, i)
		}
	}
	if n > len(ids) {
		return nil, "", fmt.Errorf("-cpus %d: only %d CPUs are available", n, len(ids))
	}
	var set unix.CPUSet
	var names []string
	for _, id := range ids[len(ids)-n:] {
		set.Set(id)
		names = append(names, strconv.Itoa(id))
	}
	return &set, "CPU " + strings.Join(names, ","), nil
}

func (s *Service) read(r io.ReadCloser, out io.Writer) {
	defer close(s.readDone)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if out != nil {
			fmt.Fprintln(out, line)
		}
		c, ok, err := ParseGCTrace(line)
		s.mu.Lock()
		switch {
		case err != nil:
			if s.gcErr == nil {
				s.gcErr = err
			}
		case ok:
			s.gcLines++
			s.gcs = append(s.gcs, gcEvent{at: time.Now(), c: c})
		default:
			s.tail = append(s.tail, line)
			if len(s.tail) > tailLines {
				s.tail = s.tail[len(s.tail)-tailLines:]
			}
		}
		s.mu.Unlock()
	}
}

// Tail returns the service's last lines of output (gctrace lines
// excluded), for error messages.
func (s *Service) Tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tail) == 0 {
		return "(no output)"
	}
	return strings.Join(s.tail, "\n")
}

// GCBetween returns the summary of the GC cycles reported in (from, to],
// and the live heap after the last cycle before from (-1 if none).
func (s *Service) GCBetween(from, to time.Time) (GCSummary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gcErr != nil {
		return GCSummary{}, s.gcErr
	}
	prev := int64(-1)
	var in []GCCycle
	for _, e := range s.gcs {
		switch {
		case !e.at.After(from):
			prev = e.c.HeapLive
		case !e.at.After(to):
			in = append(in, e.c)
		}
	}
	return Summarize(in, prev), nil
}

// Exited reports whether the process has exited, with the reason.
func (s *Service) Exited() (bool, error) {
	select {
	case <-s.exited:
		return true, s.exitError()
	default:
		return false, nil
	}
}

func (s *Service) exitError() error {
	why := "exited"
	if s.err != nil {
		why = s.err.Error()
	}
	return fmt.Errorf("%s service %s (%s); its last output:\n%s", s.Label, why, s.Addr, indent(s.Tail()))
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// WaitReady polls http://Addr+path until it answers (any HTTP status),
// the process exits, or timeout passes.
func (s *Service) WaitReady(ctx context.Context, path string, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	url := "http://" + s.Addr + path
	deadline := time.Now().Add(timeout)
	for {
		if done, err := s.Exited(); done {
			return fmt.Errorf("before listening: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("%s: bad -path %q: %w", s.Label, path, err)
		}
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s service never answered %s within %s (it must listen on 127.0.0.1:$PORT): %v; its last output:\n%s", s.Label, url, timeout, err, indent(s.Tail()))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Signal sends sig to the service's main process (not its group).
func (s *Service) Signal(sig os.Signal) error {
	return s.cmd.Process.Signal(sig)
}

// Wait waits for the process to exit, at most timeout, and returns how
// it exited; errTimeout when it did not.
func (s *Service) Wait(timeout time.Duration) error {
	select {
	case <-s.exited:
		return s.err
	case <-time.After(timeout):
		return errTimeout
	}
}

var errTimeout = errors.New("timed out waiting for the service to exit")

// Stop kills the service's whole process group and waits for it. It is
// safe to call more than once and after the process exited.
func (s *Service) Stop() {
	// Negative pid: the process group Setpgid created, which may outlive
	// its leader. ESRCH (already gone) is fine.
	_ = syscall.Kill(-s.PID, syscall.SIGKILL)
	<-s.exited
}

// PinProcess moves every thread of this process (the load generator)
// off the CPUs in set, so that it does not take CPU time from the
// service; threads created later inherit the mask of their creator.
// restore puts the original mask back. When set covers every CPU this
// process may use, nothing changes and note says so.
func PinProcess(set *unix.CPUSet) (restore func(), note string) {
	var have unix.CPUSet
	if err := unix.SchedGetaffinity(0, &have); err != nil {
		return func() {}, fmt.Sprintf("load generator not pinned: reading CPU affinity: %v", err)
	}
	rest := have
	for i := 0; i < len(have)*64; i++ {
		if set.IsSet(i) {
			rest.Clear(i)
		}
	}
	if rest.Count() == 0 {
		return func() {}, "the load generator shares the service's CPUs (no CPU left outside -cpus): on a small machine capacities are lower, but both sides are measured alike"
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return func() {}, fmt.Sprintf("load generator not pinned: %v", err)
	}
	for _, t := range tasks {
		if tid, err := strconv.Atoi(t.Name()); err == nil {
			_ = unix.SchedSetaffinity(tid, &rest)
		}
	}
	return func() {
		tasks, _ := os.ReadDir("/proc/self/task")
		for _, t := range tasks {
			if tid, err := strconv.Atoi(t.Name()); err == nil {
				_ = unix.SchedSetaffinity(tid, &have)
			}
		}
	}, ""
}
