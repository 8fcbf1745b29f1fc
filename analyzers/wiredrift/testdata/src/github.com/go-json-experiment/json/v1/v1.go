// Package json is a stub of github.com/go-json-experiment/json/v1.
package json

import jsonv2 "github.com/go-json-experiment/json"

type option struct{}

func (option) JSONOptions() {}

// DefaultOptionsV1 is the full v1 behaviour.
func DefaultOptionsV1() jsonv2.Options { return option{} }

// OmitEmptyWithLegacySemantics keeps v1's omitempty.
func OmitEmptyWithLegacySemantics(v bool) jsonv2.Options { return option{} }

// FormatDurationAsNano keeps v1's Duration numbers.
func FormatDurationAsNano(v bool) jsonv2.Options { return option{} }

// StringifyWithLegacySemantics keeps v1's ,string.
func StringifyWithLegacySemantics(v bool) jsonv2.Options { return option{} }
