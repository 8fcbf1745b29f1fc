package service

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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/internal/revision"
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

// BuildVersion materializes version (a git revision or directory, relative
// to dir) and builds its package pkg into binDir as name. cleanup removes
// the exported tree (the binary stays in binDir); it must be called once
// the service no longer runs, since the service's directory is in it.
func BuildVersion(ctx context.Context, dir, version, pkg, binDir, name string) (bin, pkgDir string, cleanup func(), err error) {
	root, cleanup, err := revision.Materialize(ctx, dir, version)
	if err != nil {
		return "", "", func() {}, fmt.Errorf("%s: %w", name, err)
	}
	bin, pkgDir, err = Build(ctx, root, pkg, binDir, name)
	if err != nil {
		cleanup()
		return "", "", func() {}, fmt.Errorf("%s (%s): %w", name, version, err)
	}
	return bin, pkgDir, cleanup, nil
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

// Spec says how to start a service.
type Spec struct {
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
	// Out, when set, also receives every line the service prints.
	Out io.Writer
	// OnLine, when set, sees every line first; lines it reports as
	// consumed (machine output such as gctrace) stay out of the tail.
	// It runs on the reading goroutine.
	OnLine func(line string) (consumed bool)
	// Launch, when set, starts the prepared command instead of
	// cmd.Start (to start it from a thread with a CPU affinity set).
	Launch func(cmd *exec.Cmd) error
}

// A Process is a running service.
type Process struct {
	// Label names it in messages; Addr is its 127.0.0.1:PORT.
	Label, Addr string
	// PID is the process's id.
	PID int

	cmd    *exec.Cmd
	exited chan struct{}
	err    error // set before exited closes

	mu       sync.Mutex
	tail     []string
	readDone chan struct{}
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
// read line by line. Stop must be called.
func Start(spec Spec) (*Process, error) {
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
	setProcAttr(cmd)
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Label, err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	launch := spec.Launch
	if launch == nil {
		launch = (*exec.Cmd).Start
	}
	if err := launch(cmd); err != nil {
		if cmd.Process != nil {
			killGroup(cmd.Process)
			_ = cmd.Wait()
		}
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("%s: starting %s: %w", spec.Label, spec.Bin, err)
	}
	pw.Close()
	p := &Process{
		Label: spec.Label, Addr: "127.0.0.1:" + strconv.Itoa(port), PID: cmd.Process.Pid,
		cmd: cmd, exited: make(chan struct{}), readDone: make(chan struct{}),
	}
	go p.read(pr, spec.Out, spec.OnLine)
	go func() {
		err := cmd.Wait()
		<-p.readDone
		p.err = err
		close(p.exited)
	}()
	return p, nil
}

func (p *Process) read(r io.ReadCloser, out io.Writer, onLine func(string) bool) {
	defer close(p.readDone)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if out != nil {
			fmt.Fprintln(out, line)
		}
		if onLine != nil && onLine(line) {
			continue
		}
		p.mu.Lock()
		p.tail = append(p.tail, line)
		if len(p.tail) > tailLines {
			p.tail = p.tail[len(p.tail)-tailLines:]
		}
		p.mu.Unlock()
	}
}

// Tail returns the service's last lines of output (consumed lines
// excluded), for error messages.
func (p *Process) Tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tail) == 0 {
		return "(no output)"
	}
	return strings.Join(p.tail, "\n")
}

// Exited reports whether the process has exited, with the reason.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.exited:
		return true, p.exitError()
	default:
		return false, nil
	}
}

func (p *Process) exitError() error {
	why := "exited"
	if p.err != nil {
		why = p.err.Error()
	}
	return fmt.Errorf("%s service %s (%s); its last output:\n%s", p.Label, why, p.Addr, Indent(p.Tail()))
}

// Indent indents every line of s by four spaces, for output quoted in an
// error message.
func Indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// WaitReady polls http://Addr+path until it answers (any HTTP status),
// the process exits, or timeout passes.
func (p *Process) WaitReady(ctx context.Context, path string, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	url := "http://" + p.Addr + path
	deadline := time.Now().Add(timeout)
	for {
		if done, err := p.Exited(); done {
			return fmt.Errorf("before listening: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("%s: bad path %q: %w", p.Label, path, err)
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
			return fmt.Errorf("%s service never answered %s within %s (it must listen on 127.0.0.1:$PORT): %v; its last output:\n%s", p.Label, url, timeout, err, Indent(p.Tail()))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.exited:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Signal sends sig to the service's main process (not its group).
func (p *Process) Signal(sig os.Signal) error {
	return p.cmd.Process.Signal(sig)
}

// ErrTimeout is Wait's error when the process did not exit in time.
var ErrTimeout = errors.New("timed out waiting for the service to exit")

// Wait waits for the process to exit, at most timeout, and returns how
// it exited; ErrTimeout when it did not.
func (p *Process) Wait(timeout time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(timeout):
		return ErrTimeout
	}
}

// Stop kills the service (its whole process group where there is one)
// and waits for it. It is safe to call more than once and after the
// process exited.
func (p *Process) Stop() {
	killGroup(p.cmd.Process)
	<-p.exited
}
