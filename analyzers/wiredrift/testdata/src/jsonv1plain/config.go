// Package jsonv1plain uses encoding/json v1 only and is not declared to be
// moving to v2: the v2 field rules stay silent here.
package jsonv1plain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"time"
)

// Config is a service configuration file.
type Config struct {
	Listen    string            `json:"listen"`
	Workers   int               `json:"workers,omitempty"`
	Debug     bool              `json:"debug,omitempty"`
	Timeout   time.Duration     `json:"timeout"`
	Upstreams []string          `json:"upstreams"`
	Headers   map[string]string `json:"headers"`
	Started   time.Time         `json:"started,omitempty"`
	Checksum  [32]byte          `json:"checksum"`
	Verbose   bool              `json:"verbose,string"`
}

// Load reads the config file.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Save writes the config file.
func Save(path string, c Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// Fingerprint hashes encoding/json v1 output, which sorts map keys.
func Fingerprint(c Config) string {
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DefaultConfig decodes a literal whose key case differs from the tags;
// v1 matches it and the package does not use v2.
func DefaultConfig() (Config, error) {
	var c Config
	err := json.Unmarshal([]byte(`{"Listen": ":8080"}`), &c)
	return c, err
}
