// Package profile records instruction-count profiles: a command runs
// under valgrind callgrind, and callgrind's instructions (Ir) per
// function and source line become a pprof profile with sample type
// instructions/count, which `go tool pprof` reads.
//
// This is the "instruction clock" profiler: unlike a CPU-time profile it
// does not depend on the machine's speed or load, so two profiles of
// different versions can be compared line by line.
//
// The profile is flat: each sample is one source line's self cost, so
// pprof's cum column equals flat. Callgrind's call graph is not turned
// into stacks, because its inclusive costs cannot be split into call
// paths without guessing.
package profile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/google/pprof/profile"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// SampleType is the profile's only sample type: instructions, counted.
var SampleType = &profile.ValueType{Type: "instructions", Unit: "count"}

// Options configure Record.
type Options struct {
	// Windowed profiles only what the command brackets with package
	// clientreq's windows (amd64; elsewhere the whole process, with a
	// note).
	Windowed bool
}

// Result is a recorded profile and what valgrind counted.
type Result struct {
	// Profile is the flat instruction profile.
	Profile *profile.Profile
	// Reading is the total count of the run, from the valgrind backend.
	Reading counter.Reading
}

// Record runs c under callgrind and returns its instruction profile.
// The command's environment gets the valgrind backend's settings
// (GOMAXPROCS=1, no async preemption, no ASLR); GOGC stays as given.
func Record(ctx context.Context, c counter.Command, opts Options) (*Result, error) {
	dir, err := os.MkdirTemp("", "upshift-profile-")
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	defer os.RemoveAll(dir)
	v := &counter.Valgrind{Tool: counter.Callgrind, Windowed: opts.Windowed, OutDir: dir}
	if err := v.Probe(ctx); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	reading, runErr := v.Run(ctx, c)
	files, _ := filepath.Glob(filepath.Join(dir, counter.Callgrind+".out.*"))
	if len(files) == 0 {
		if runErr != nil {
			return nil, fmt.Errorf("profile: %w", runErr)
		}
		return nil, fmt.Errorf("profile: callgrind wrote no output")
	}
	sort.Strings(files)
	var profiles []*profile.Profile
	for _, f := range files {
		p, err := ReadCallgrindFile(f)
		if err != nil {
			return nil, fmt.Errorf("profile: %w", err)
		}
		profiles = append(profiles, p)
	}
	p, err := profile.Merge(profiles)
	if err != nil {
		return nil, fmt.Errorf("profile: merging %d callgrind outputs: %w", len(files), err)
	}
	p.Comments = append(p.Comments, "backend: "+v.Describe())
	p.Comments = append(p.Comments, reading.Notes...)
	res := &Result{Profile: p, Reading: reading}
	if runErr != nil {
		return res, fmt.Errorf("profile: %w", runErr)
	}
	return res, nil
}

// ReadCallgrindFile converts one callgrind output file into a profile.
func ReadCallgrindFile(path string) (*profile.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading callgrind output: %w", err)
	}
	defer f.Close()
	d, err := parseCallgrind(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d.toProfile(), nil
}

// toProfile builds a flat profile: one sample per (function, line) with
// its self instruction count.
func (d *callgrindData) toProfile() *profile.Profile {
	p := &profile.Profile{
		SampleType:        []*profile.ValueType{SampleType},
		PeriodType:        SampleType,
		Period:            1,
		DefaultSampleType: SampleType.Type,
		TimeNanos:         time.Now().UnixNano(),
		Comments: []string{
			"instruction counts (Ir) by valgrind callgrind; flat profile: cum equals flat",
		},
	}
	if d.cmd != "" {
		p.Comments = append(p.Comments, "cmd: "+d.cmd)
	}
	mappings := map[string]*profile.Mapping{}
	functions := map[[2]string]*profile.Function{}
	for _, s := range d.order {
		m := mappings[s.object]
		if m == nil {
			m = &profile.Mapping{
				ID:   uint64(len(p.Mapping) + 1),
				File: s.object,
				// Symbols come from callgrind: pprof must not try to
				// symbolise addresses it does not have.
				HasFunctions: true, HasFilenames: true, HasLineNumbers: true,
			}
			mappings[s.object] = m
			p.Mapping = append(p.Mapping, m)
		}
		fk := [2]string{s.function, s.file}
		fn := functions[fk]
		if fn == nil {
			name := s.function
			if name == "" {
				name = "???"
			}
			fn = &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: s.file}
			functions[fk] = fn
			p.Function = append(p.Function, fn)
		}
		loc := &profile.Location{
			ID:      uint64(len(p.Location) + 1),
			Mapping: m,
			Line:    []profile.Line{{Function: fn, Line: s.line}},
		}
		p.Location = append(p.Location, loc)
		p.Sample = append(p.Sample, &profile.Sample{
			Location: []*profile.Location{loc},
			Value:    []int64{int64(d.self[s])},
		})
	}
	return p
}
