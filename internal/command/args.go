package command

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ParseInterspersed parses flags anywhere among the arguments, as go vet
// and go test do: `upshift vet ./... -only maporder` means what
// `upshift vet -only maporder ./...` means. It returns the other
// arguments in order; everything after "--" is taken as is.
func ParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		i := 0
		for i < len(left) && !isFlag(left[i]) {
			i++
		}
		rest = append(rest, left[:i]...)
		if i == len(left) {
			return rest, nil
		}
		args = left[i:]
	}
}

func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

// CheckModule returns a plain error when dir is not inside a Go module
// (no go.mod in it or above it, and no go.work), instead of the go
// command's internals ("directory prefix . does not contain main module").
func CheckModule(dir string) error {
	if v := os.Getenv("GO111MODULE"); v == "off" {
		return nil // GOPATH mode: the go command decides
	}
	for d := dir; ; {
		for _, name := range []string{"go.mod", "go.work"} {
			if st, err := os.Stat(filepath.Join(d, name)); err == nil && !st.IsDir() {
				return nil
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return fmt.Errorf("no go.mod in %s (not a Go module): run upshift in a module's directory, or pass -C DIR", strings.TrimSuffix(dir, string(filepath.Separator)))
}
