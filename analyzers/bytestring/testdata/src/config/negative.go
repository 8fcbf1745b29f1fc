package config

import (
	"bytes"
	"encoding/json"
	"os"
)

// Decoded compares values from a JSON decoder: they are strings.
func Decoded(data []byte) bool {
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		return false
	}
	return cfg["mode"] == "lowmem" // decoder output: not reported
}

// Param compares an interface parameter: the caller decides the type.
func Param(v any) bool {
	return v == "on"
}

// Converted stores text, not bytes.
func Converted(path string) bool {
	data, _ := os.ReadFile(path)
	var v any = string(bytes.TrimSpace(data))
	return v == "on"
}

// Mixed may hold text on one path: the comparison is meaningful there.
func Mixed(path string, asText bool) bool {
	data, _ := os.ReadFile(path)
	var v any = data
	if asText {
		v = string(data)
	}
	return v == "on"
}

// Unknown may hold decoder output on one path.
func Unknown(path string, dec *json.Decoder) bool {
	data, _ := os.ReadFile(path)
	var v any = data
	if dec != nil {
		_ = dec.Decode(&v)
	}
	return v == "on"
}

// Record is decoded from JSON: its interface field holds what the decoder
// put there, whatever the package stores elsewhere.
type Record struct {
	Payload any `json:"payload"`
}

// NewRecord stores bytes in the tagged field.
func NewRecord(b []byte) Record { return Record{Payload: b} }

// IsPing compares the tagged field.
func IsPing(r Record) bool { return r.Payload == "ping" }

// BytesEqual compares bytes the right way.
func BytesEqual(path string) bool {
	data, _ := os.ReadFile(path)
	return bytes.Equal(bytes.TrimSpace(data), []byte("on"))
}

// TypeSwitchBoth handles both representations.
func TypeSwitchBoth(s *Settings) string {
	switch v := s.Values["mode"].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// Filled is a map handed to an external decoder: its slots are unknown.
func Filled(data []byte) bool {
	cfg := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&cfg); err != nil {
		return false
	}
	return cfg["mode"] == "lowmem"
}

// Generic compares a type parameter value.
func Generic[T comparable](v T, want T) bool { return v == want }

// Nothing compares a never-assigned interface: nil, not []byte.
func Nothing() bool {
	var v any
	return v == "x"
}
