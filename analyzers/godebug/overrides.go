package godebug

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/upshift-dev/upshift/internal/godebugs"

	"golang.org/x/tools/go/analysis"
)

// overrides are the GODEBUG choices a module makes explicitly. A setting the
// module already pins keeps its value whatever the go line says, so a go line
// bump cannot flip it.
type overrides struct {
	// base replaces the go line as the source of defaults
	// ("godebug default=go1.21"); "" if not set.
	base string
	// pinned maps setting names to the values set explicitly.
	pinned map[string]string
	// where maps setting names to the directive that sets them, as the
	// user wrote it ("godebug x=1" in go.mod, or "//go:debug x=1").
	where map[string]string
}

// readOverrides collects the godebug lines of the package's go.mod and the
// //go:debug directives of its files. Only go.mod is read from disk; it is
// found through pass.Module, or by walking up from the package's directory
// when the driver (go vet) does not say where it is.
func readOverrides(pass *analysis.Pass, inModule bool) (overrides, error) {
	ov := overrides{pinned: make(map[string]string), where: make(map[string]string)}
	if inModule {
		gomod := ""
		if pass.Module != nil {
			gomod = pass.Module.GoMod
		}
		if gomod == "" && len(pass.Files) > 0 {
			gomod = findGoMod(filepath.Dir(pass.Fset.File(pass.Files[0].Pos()).Name()))
		}
		if gomod != "" {
			data, err := os.ReadFile(gomod)
			if err != nil && !os.IsNotExist(err) {
				return ov, fmt.Errorf("reading godebug lines: %w", err)
			}
			for _, kv := range goModGodebugs(data) {
				ov.set(kv, "godebug "+kv)
			}
		}
	}
	// //go:debug lines apply to package main and to test binaries; honouring
	// them everywhere can only make the analyzer quieter.
	for _, file := range pass.Files {
		for _, group := range file.Comments {
			if group.Pos() >= file.Package {
				break
			}
			for _, c := range group.List {
				if rest, ok := strings.CutPrefix(c.Text, "//go:debug "); ok {
					ov.set(strings.TrimSpace(rest), c.Text)
				}
			}
		}
	}
	return ov, nil
}

func (ov *overrides) set(kv, directive string) {
	k, v, ok := strings.Cut(kv, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" {
		return
	}
	if k == "default" {
		ov.base = godebugs.Normalize(v)
		return
	}
	ov.pinned[k] = v
	ov.where[k] = directive
}

// findGoMod returns the go.mod governing dir, or "" if there is none.
func findGoMod(dir string) string {
	for {
		p := filepath.Join(dir, "go.mod")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// goModGodebugs returns the key=value items of the godebug lines and blocks
// of a go.mod file. It is a small line parser rather than x/mod's modfile
// because the analyzer needs nothing else from go.mod.
func goModGodebugs(data []byte) []string {
	var out []string
	inBlock := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case inBlock && line == ")":
			inBlock = false
		case inBlock:
			if line != "" {
				out = append(out, line)
			}
		default:
			rest, ok := strings.CutPrefix(line, "godebug")
			if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '(') {
				continue
			}
			rest = strings.TrimSpace(rest)
			if rest == "(" {
				inBlock = true
				continue
			}
			out = append(out, rest)
		}
	}
	return out
}
