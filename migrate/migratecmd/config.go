package migratecmd

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file at the module root.
const ConfigFile = ".upshift.yaml"

// Schema is the JSON Schema of ConfigFile, for editors and CI linters; a
// test checks that it and Config describe the same keys.
//
//go:embed upshift.schema.json
var Schema []byte

// Config is the content of .upshift.yaml. Every key is optional; flags
// given on the command line override it.
type Config struct {
	// Target is the go line to move to, e.g. "1.26".
	Target string `yaml:"target" json:"target"`
	// Tier is the highest fix tier: safe or behavior.
	Tier string `yaml:"tier" json:"tier"`
	// Perf configures the performance check run after every stage.
	Perf PerfConfig `yaml:"perf" json:"perf"`
	// Moves adds the dependency-move stage after the safe fixes: one
	// commit per move of the curated table (compat/deps) that applies.
	Moves bool `yaml:"moves" json:"moves"`
	// Exclude lists module-relative paths (files or directories) that no
	// fix touches.
	Exclude []string `yaml:"exclude" json:"exclude"`
	// Analyzers maps an analyzer name to its flags (name: value), as
	// upshift fix -NAME.FLAG=VALUE sets them.
	Analyzers map[string]map[string]string `yaml:"analyzers" json:"analyzers"`
}

// PerfConfig configures the perf check.
type PerfConfig struct {
	// Mode is off, bench or capacity.
	Mode string `yaml:"mode" json:"mode"`

	// The bench keys.

	// Packages are the package patterns whose benchmarks are compared
	// (default: every package of the module).
	Packages []string `yaml:"packages" json:"packages"`
	// Threshold is the relative instructions/op regression tolerated
	// between two stages, e.g. 0.02 (default 0.01).
	Threshold float64 `yaml:"threshold" json:"threshold"`
	// Count is the number of rounds of each benchmark per stage
	// (default 5).
	Count int `yaml:"count" json:"count"`

	// The capacity keys: upshift perf capacity's settings, under the
	// names of its flags where they are words.

	// Package is the service's main package, e.g. ./cmd/server
	// (required for capacity).
	Package string `yaml:"package" json:"package"`
	// Paths are the URL paths requested, round robin (default /).
	Paths []string `yaml:"paths" json:"paths"`
	// Traffic is a recorded traffic file (JSON Lines or .har) offered
	// instead of GETs of Paths, relative to the module root.
	Traffic string `yaml:"traffic" json:"traffic"`
	// SLO is the p99 latency a step must meet, e.g. p99=50ms.
	SLO string `yaml:"slo" json:"slo"`
	// CPUs is the CPU budget of each service (default 1).
	CPUs int `yaml:"cpus" json:"cpus"`
	// Memory is the memory budget of each service, e.g. 256MiB.
	Memory string `yaml:"memory" json:"memory"`
	// Target is the capacity change a stage must keep, e.g. -5%
	// (default DefaultCapacityTarget).
	Target string `yaml:"target" json:"target"`
	// Trials is the number of measurements of both capacities (default
	// 6, the fewest for a 95% interval; 1 is a single comparison).
	Trials int `yaml:"trials" json:"trials"`
	// Window and Warmup are each step's measured window and the warm-up
	// before it, e.g. 3s and 1s.
	Window string `yaml:"window" json:"window"`
	Warmup string `yaml:"warmup" json:"warmup"`
	// StartRate and MaxRate bound the rate search (req/s); Tolerance
	// ends its bisection, e.g. 5%.
	StartRate float64 `yaml:"start_rate" json:"start_rate"`
	MaxRate   float64 `yaml:"max_rate" json:"max_rate"`
	Tolerance string  `yaml:"tolerance" json:"tolerance"`
	// Backend measures the work per request besides the capacity:
	// none (default), taskclock, valgrind or auto.
	Backend string `yaml:"backend" json:"backend"`
}

// LoadConfig reads dir/.upshift.yaml; a missing file is an empty Config.
// Unknown keys and values of the wrong type are errors naming the file,
// line and column.
func LoadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseConfig(ConfigFile, data)
}

// yamlLine finds the "line N" of yaml.v3's type errors, which name no
// column: the column is then looked up in the source.
var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// ParseConfig decodes a config file's data; name is used in errors.
func ParseConfig(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			var msgs []string
			for _, e := range te.Errors {
				msgs = append(msgs, positioned(name, data, e))
			}
			return nil, errors.New(join(msgs))
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := c.check(name); err != nil {
		return nil, err
	}
	return &c, nil
}

// positioned turns "line 3: field x not found in type migratecmd.Config"
// into "file:3:5: unknown key x", with the column of the key.
func positioned(name string, data []byte, msg string) string {
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return name + ": " + msg
	}
	line, _ := strconv.Atoi(m[1])
	text := m[2]
	col := 1
	if k := regexp.MustCompile(`^field (\S+) not found in type \S+$`).FindStringSubmatch(text); k != nil {
		text = "unknown key " + strconv.Quote(k[1])
		col = columnOf(data, line, k[1])
	} else {
		col = columnOf(data, line, "")
	}
	return fmt.Sprintf("%s:%d:%d: %s", name, line, col, text)
}

// columnOf returns the 1-based column of word on line (or of the line's
// first non-blank character).
func columnOf(data []byte, line int, word string) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	if word != "" {
		if i := bytes.Index(l, []byte(word)); i >= 0 {
			return i + 1
		}
	}
	return len(l) - len(bytes.TrimLeft(l, " \t")) + 1
}

func join(msgs []string) string {
	var b bytes.Buffer
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m)
	}
	return b.String()
}

// check validates values the YAML types do not.
func (c *Config) check(name string) error {
	switch c.Tier {
	case "", "safe", "behavior":
	default:
		return fmt.Errorf("%s: tier %q: want safe or behavior", name, c.Tier)
	}
	switch c.Perf.Mode {
	case "", "off", "bench", "capacity":
	default:
		return fmt.Errorf("%s: perf.mode %q: want off, bench or capacity", name, c.Perf.Mode)
	}
	if c.Perf.Threshold < 0 || c.Perf.Threshold >= 1 {
		return fmt.Errorf("%s: perf.threshold %v: want a fraction such as 0.02", name, c.Perf.Threshold)
	}
	if c.Perf.Count < 0 {
		return fmt.Errorf("%s: perf.count %d: want a positive number", name, c.Perf.Count)
	}
	// The capacity keys are checked whatever the mode, for -perf
	// capacity may choose it; the package, the traffic file and the
	// backend are checked when it does (capacityConfig).
	st, err := c.Perf.settings()
	if err == nil {
		st.Pkg, st.TrafficFile, st.Backend = ".", "", "none"
		_, err = st.Config(context.Background(), capacityKey)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	for _, p := range c.Exclude {
		if filepath.IsAbs(p) {
			return fmt.Errorf("%s: exclude %q: want a path relative to the module root", name, p)
		}
	}
	return nil
}
