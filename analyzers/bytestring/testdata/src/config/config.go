// Package config loads a service's runtime switches from small files, the
// way the incident in hazards.md did.
package config

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
)

// Settings holds the switches read at start-up.
type Settings struct {
	Values map[string]any
}

// Load reads mode and cache files into a settings map.
func Load(dir string) (*Settings, error) {
	cfg := map[string]any{}
	data, err := os.ReadFile(dir + "/mode")
	if err != nil {
		return nil, err
	}
	cfg["mode"] = bytes.TrimSpace(data)
	cfg["name"] = strings.TrimSpace(string(data))
	return &Settings{Values: cfg}, nil
}

// Apply turns the optimisations on: the memory saver never switches on.
func (s *Settings) Apply() bool {
	if s.Values["mode"] == "lowmem" { // want `comparison of s.Values\["mode"\] \(holds \[\]byte from bytes.TrimSpace\) with string "lowmem" is always false`
		return true
	}
	if s.Values["name"] == "primary" { // a string was stored: fine
		return true
	}
	return false
}

// featureFlag returns the flag file content in an interface result.
func featureFlag(path string) any {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return bytes.TrimSpace(b)
}

// Enabled uses the helper: the result is []byte.
func Enabled() bool {
	return featureFlag("/etc/flag") == "on" // want `comparison of featureFlag\("/etc/flag"\) \(holds \[\]byte from bytes.TrimSpace\) with string "on" is always false`
}

// Disabled uses != : always true.
func Disabled() bool {
	v := featureFlag("/etc/flag")
	return v != "on" // want `comparison of v \(holds \[\]byte from bytes.TrimSpace\) with string "on" is always true`
}

// Option is one key/value read from the environment file.
type Option struct {
	Key   string
	value any
}

// parseLine splits a line of an env file into an option.
func parseLine(line []byte) Option {
	k, v, _ := bytes.Cut(line, []byte("="))
	return Option{Key: string(k), value: v}
}

// Debug reports whether DEBUG=true appears in the file.
func Debug(r io.Reader) bool {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		opt := parseLine(sc.Bytes())
		if opt.Key == "DEBUG" && opt.value == "true" { // want `comparison of opt.value \(holds \[\]byte from bytes.Cut\) with string "true" is always false`
			return true
		}
	}
	return false
}

// Level picks a log level from the LEVEL file.
func Level(path string) int {
	var level any
	raw, _ := os.ReadFile(path)
	level = raw
	switch level { // want `switch on level \(holds \[\]byte from os.ReadFile\) never matches string case "debug"`
	case "debug":
		return 0
	case "info":
		return 1
	}
	return 2
}

// Mode asserts the stored mode to string: the assertion always fails.
func Mode(s *Settings) string {
	if m, ok := s.Values["mode"].(string); ok { // want `type assertion s.Values\["mode"\].\(string\) always fails`
		return m
	}
	return "default"
}

// Kind type-switches over the stored mode.
func Kind(s *Settings) int {
	switch v := s.Values["mode"].(type) {
	case string: // want `case string never matches`
		return len(v)
	case int:
		return v
	}
	return -1
}

// ReadAllMode reads the mode through io.ReadAll and a conversion to any.
func ReadAllMode(r io.Reader) bool {
	body, _ := io.ReadAll(r)
	mode := any(body)
	return mode == "fast" // want `comparison of mode \(holds \[\]byte from io.ReadAll\) with string "fast" is always false`
}

// RawMode keeps a json.RawMessage in an interface.
func RawMode(msg map[string]json.RawMessage) bool {
	var v interface{} = msg["mode"]
	return v == `"fast"` // want `comparison of v \(holds \[\]byte from msg\["mode"\]\) with string`
}
