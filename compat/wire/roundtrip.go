package wire

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"go/format"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"github.com/upshift-dev/upshift/compat/api"
	"github.com/upshift-dev/upshift/compat/report"
)

//go:embed roundtrip_main.go.tmpl
var programTemplate string

// RoundtripResult is what a -roundtrip run found.
type RoundtripResult struct {
	Findings []report.Finding
	// Notes lists types that could not be exercised, and why.
	Notes []string
}

type rtImport struct{ Alias, Path string }

type rtEntry struct {
	ID     string
	Codecs []Codec
	Expr   string
}

type rtProgram struct {
	Imports []rtImport
	Entries []rtEntry
}

// rtValues is one record printed by a generated program.
type rtValues struct {
	ID     string            `json:"id"`
	Codec  Codec             `json:"codec"`
	Error  string            `json:"error,omitempty"`
	Values map[string]string `json:"values,omitempty"`
}

// Roundtrip builds one program per side (in a temp dir, a main module
// that imports the side through a replace directive), fills every
// serialized type with deterministic non-zero values, encodes it with one
// side and decodes it with the other in both directions, and reports
// decode errors and field values that did not survive.
func Roundtrip(ctx context.Context, a *Analysis) (*RoundtripResult, error) {
	res := &RoundtripResult{}
	var roots []*Root
	for _, r := range a.Roots {
		bt, ht := lookupType(a.Base, r.Key), lookupType(a.Head, r.Key)
		switch why := notImportable(a.Base, bt, a.Head, ht); why {
		case "":
			roots = append(roots, r)
		default:
			res.Notes = append(res.Notes, fmt.Sprintf("roundtrip skipped %s: %s", strings.TrimPrefix(r.Key, "/"), why))
		}
	}
	if len(roots) == 0 {
		res.Notes = append(res.Notes, "roundtrip: no type could be exercised")
		return res, nil
	}
	work, err := os.MkdirTemp("", "upshift-roundtrip-")
	if err != nil {
		return nil, fmt.Errorf("roundtrip: %w", err)
	}
	defer os.RemoveAll(work)

	type sideRun struct {
		mod      *api.Module
		name     string
		bin      string
		fixtures string
		wrote    []rtValues
		// self is what the side reads back from its own fixtures: the
		// baseline, since a custom marshaler may drop data on purpose.
		self []rtValues
	}
	sides := []*sideRun{{mod: a.Base, name: "base"}, {mod: a.Head, name: "head"}}
	for _, s := range sides {
		dir := filepath.Join(work, s.name)
		s.fixtures = filepath.Join(work, s.name+"-fixtures")
		if err := os.MkdirAll(s.fixtures, 0o755); err != nil {
			return nil, fmt.Errorf("roundtrip: %w", err)
		}
		s.bin, err = buildProgram(ctx, s.mod, roots, dir)
		if err != nil {
			return nil, err
		}
		out, err := runProgram(ctx, s.mod, s.bin, "write", s.fixtures)
		if err != nil {
			return nil, err
		}
		s.wrote = out
		if s.self, err = runProgram(ctx, s.mod, s.bin, "read", s.fixtures); err != nil {
			return nil, err
		}
	}
	base, head := sides[0], sides[1]
	names := map[string]string{}
	positions := map[string][2]*report.Position{}
	for _, r := range roots {
		bt, ht := lookupType(a.Base, r.Key), lookupType(a.Head, r.Key)
		names[r.Key] = bt.Pkg().Path() + "." + bt.Name()
		positions[r.Key] = [2]*report.Position{newBuilder(a.Base, JSON).position(bt), newBuilder(a.Head, JSON).position(ht)}
	}
	for _, dir := range []struct {
		writer, reader *sideRun
		d              report.Direction
	}{{base, head, report.Backward}, {head, base, report.Forward}} {
		read, err := runProgram(ctx, dir.reader.mod, dir.reader.bin, "read", dir.writer.fixtures)
		if err != nil {
			return nil, err
		}
		for _, f := range diffValues(names, baseline(dir.writer.wrote, dir.writer.self), read, dir.d, dir.writer.name, dir.reader.name) {
			key := f.Symbol
			for k, n := range names {
				if n == f.Symbol {
					key = k
				}
			}
			f.Base, f.Head = positions[key][0], positions[key][1]
			res.Findings = append(res.Findings, f)
		}
	}
	return res, nil
}

// notImportable says why a generated program cannot name the type on a
// side, or "".
func notImportable(bm *api.Module, bt *types.TypeName, hm *api.Module, ht *types.TypeName) string {
	for _, s := range []struct {
		m  *api.Module
		tn *types.TypeName
		n  string
	}{{bm, bt, "base"}, {hm, ht, "head"}} {
		switch {
		case s.tn == nil:
			return "not declared in " + s.n
		case !s.tn.Exported():
			return "unexported type (the schema comparison still covers it)"
		case s.tn.Pkg().Name() == "main":
			return "declared in a main package, which cannot be imported (the schema comparison still covers it)"
		}
		if n, ok := s.tn.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
			return "generic type"
		}
	}
	return ""
}

// programSource generates the round-trip program of one side.
func programSource(m *api.Module, roots []*Root) ([]byte, error) {
	prog := rtProgram{}
	aliases := map[string]string{}
	for _, r := range roots {
		tn := lookupType(m, r.Key)
		path := tn.Pkg().Path()
		alias, ok := aliases[path]
		if !ok {
			alias = fmt.Sprintf("p%d", len(aliases))
			aliases[path] = alias
			prog.Imports = append(prog.Imports, rtImport{Alias: alias, Path: path})
		}
		prog.Entries = append(prog.Entries, rtEntry{ID: r.Key, Codecs: r.Codecs, Expr: alias + "." + tn.Name()})
	}
	var src bytes.Buffer
	tmpl := template.Must(template.New("main").Parse(programTemplate))
	if err := tmpl.Execute(&src, prog); err != nil {
		return nil, fmt.Errorf("roundtrip: generating program: %w", err)
	}
	out, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("roundtrip: generated program: %w", err)
	}
	return out, nil
}

func buildProgram(ctx context.Context, m *api.Module, roots []*Root, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("roundtrip: %w", err)
	}
	src, err := programSource(m, roots)
	if err != nil {
		return "", err
	}
	goLine := "1.16"
	if m.GoMod.Go != nil {
		goLine = m.GoMod.Go.Version
	}
	// The program's module path extends the side's, so that it may
	// import the side's internal packages (the go command checks internal
	// imports by import path in module mode).
	gomod := fmt.Sprintf("module %s/upshiftroundtrip\n\ngo %s\n\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n",
		m.Path, goLine, m.Path, m.Path, m.Root)
	files := map[string][]byte{"main.go": src, "go.mod": []byte(gomod)}
	if sum, err := os.ReadFile(filepath.Join(m.Root, "go.sum")); err == nil {
		files["go.sum"] = sum
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("roundtrip: %w", err)
		}
	}
	bin := filepath.Join(dir, "roundtrip")
	cmd := exec.CommandContext(ctx, "go", "build", "-mod=mod", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("roundtrip: building the %s program: %v\n%s", m.Label, err, m.Rel(strings.TrimSpace(string(out))))
	}
	return bin, nil
}

func runProgram(ctx context.Context, m *api.Module, bin, mode, dir string) ([]rtValues, error) {
	cmd := exec.CommandContext(ctx, bin, mode, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("roundtrip: %s program %s: %v: %s", m.Label, mode, err, strings.TrimSpace(stderr.String()))
	}
	var vals []rtValues
	if err := json.Unmarshal(out, &vals); err != nil {
		return nil, fmt.Errorf("roundtrip: %s program %s: bad output: %w", m.Label, mode, err)
	}
	return vals, nil
}

// baseline returns what the writer itself reads back from its fixtures,
// falling back to the values it filled in when it cannot read them.
func baseline(wrote, self []rtValues) []rtValues {
	type key struct {
		id    string
		codec Codec
	}
	selfBy := map[key]rtValues{}
	for _, v := range self {
		selfBy[key{v.ID, v.Codec}] = v
	}
	out := make([]rtValues, len(wrote))
	for i, w := range wrote {
		out[i] = w
		if s, ok := selfBy[key{w.ID, w.Codec}]; ok && w.Error == "" && s.Error == "" {
			out[i].Values = s.Values
		}
	}
	return out
}

// diffValues compares what the writer encoded with what the reader
// decoded.
func diffValues(names map[string]string, wrote, read []rtValues, d report.Direction, writer, reader string) []report.Finding {
	var out []report.Finding
	type key struct {
		id    string
		codec Codec
	}
	readBy := map[key]rtValues{}
	for _, r := range read {
		readBy[key{r.ID, r.Codec}] = r
	}
	for _, w := range wrote {
		group := fmt.Sprintf("roundtrip %s %s", w.Codec, names[w.ID])
		if w.Error != "" {
			if d == report.Backward { // report each side's encode failure once
				out = append(out, report.Finding{
					Rule: RTEncodeError, Level: ruleLevel(RTEncodeError), Group: group, Symbol: names[w.ID],
					Message: fmt.Sprintf("%s cannot encode its filled value: %s", writer, w.Error),
				})
			}
			continue
		}
		r, ok := readBy[key{w.ID, w.Codec}]
		if !ok {
			continue
		}
		what := fmt.Sprintf("%s wrote with %s, %s read", writer, w.Codec, reader)
		// Only fields both sides have count: a field one side lacks is
		// an addition or a removal, which the schema comparison reports
		// with its direction. A shared field whose value did not survive
		// is loss no schema rule may have explained (a key, a custom
		// marshaler, precision). encoding/json keeps decoding after a
		// type error, so values are compared after errors too.
		var lost []string
		for _, p := range slices.Sorted(maps.Keys(w.Values)) {
			if got, present := r.Values[p]; present && got != w.Values[p] {
				lost = append(lost, fmt.Sprintf("%s: wrote %s, read %s", orValue(p), w.Values[p], orZero(got)))
			}
		}
		switch {
		case r.Error != "":
			out = append(out, report.Finding{
				Rule: RTDecodeError, Level: ruleLevel(RTDecodeError), Group: group, Symbol: names[w.ID],
				Message: fmt.Sprintf("%s: decode error: %s", what, r.Error), Direction: d, Loss: "loud", Advice: advice(d),
				Details: lost,
			})
		case len(lost) > 0:
			out = append(out, report.Finding{
				Rule: RTLost, Level: ruleLevel(RTLost), Group: group, Symbol: names[w.ID],
				Message:   fmt.Sprintf("%s: %d field value(s) lost without an error", what, len(lost)),
				Direction: d, Loss: "silent", Advice: advice(d), Details: lost,
			})
		}
	}
	return out
}

func orValue(p string) string {
	if p == "" {
		return "(value)"
	}
	return p
}

func orZero(s string) string {
	if s == "" {
		return `""`
	}
	return s
}
