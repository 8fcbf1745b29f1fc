package perfcmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goBuildValueFlags are the go command's build flags that take a value
// as the next argument (go help build).
var goBuildValueFlags = map[string]bool{
	"C": true, "p": true, "asmflags": true, "buildmode": true, "buildvcs": false, "compiler": true,
	"gccgoflags": true, "gcflags": true, "installsuffix": true, "ldflags": true, "mod": true,
	"modfile": true, "overlay": true, "pgo": true, "pkgdir": true, "tags": true, "toolexec": true,
	"covermode": true, "coverpkg": true, "exec": true,
}

// goRun describes a `go run [build flags] PACKAGE [args]` command line.
type goRun struct {
	flags []string // build flags, as given
	pkg   []string // the package, or the .go files
	args  []string // the program's arguments
}

// parseGoRun recognises argv as `go run ...`. Profiling that command line
// as such would profile the go command (and the compiler it starts), not
// the program, and would hand valgrind's settings to the build.
func parseGoRun(argv []string) (goRun, bool) {
	if len(argv) < 2 || filepath.Base(argv[0]) != "go" || argv[1] != "run" {
		return goRun{}, false
	}
	var r goRun
	rest := argv[2:]
	for len(rest) > 0 && strings.HasPrefix(rest[0], "-") {
		f := rest[0]
		rest = rest[1:]
		if f == "--" {
			break
		}
		r.flags = append(r.flags, f)
		name := strings.TrimLeft(f, "-")
		if !strings.Contains(name, "=") && goBuildValueFlags[name] && len(rest) > 0 {
			r.flags = append(r.flags, rest[0])
			rest = rest[1:]
		}
	}
	// go run takes either one package or a list of .go files.
	n := 0
	for n < len(rest) && strings.HasSuffix(rest[n], ".go") {
		n++
	}
	if n == 0 && len(rest) > 0 {
		n = 1
	}
	r.pkg, r.args = rest[:n], rest[n:]
	return r, len(r.pkg) > 0
}

// build compiles the program of a `go run` command line into dir, in the
// user's environment (not the profiling one), and returns the binary. A
// build that fails returns its own output, compile errors and all.
func (r goRun) build(ctx context.Context, goCmd, workDir, dir string) (string, error) {
	bin := filepath.Join(dir, "prog")
	args := append([]string{"build", "-o", bin}, r.flags...)
	args = append(args, r.pkg...)
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = workDir
	cmd.Env = os.Environ()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimRight(out.String(), "\n")
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("go run %s does not build:\n%s", strings.Join(r.pkg, " "), msg)
	}
	return bin, nil
}
