// Package json is a stub of github.com/go-json-experiment/json (the
// encoding/json/v2 prototype) with the signatures the tests need.
package json

import "io"

// Options configure Marshal and Unmarshal.
type Options interface{ JSONOptions() }

type option struct{}

func (option) JSONOptions() {}

// Marshal serialises in.
func Marshal(in any, opts ...Options) ([]byte, error) { return nil, nil }

// MarshalWrite serialises in into out.
func MarshalWrite(out io.Writer, in any, opts ...Options) error { return nil }

// Unmarshal decodes in into out.
func Unmarshal(in []byte, out any, opts ...Options) error { return nil }

// UnmarshalRead decodes from in into out.
func UnmarshalRead(in io.Reader, out any, opts ...Options) error { return nil }

// JoinOptions merges options.
func JoinOptions(srcs ...Options) Options { return option{} }

// DefaultOptionsV2 is the v2 default.
func DefaultOptionsV2() Options { return option{} }

// Deterministic sorts map keys.
func Deterministic(v bool) Options { return option{} }

// FormatNilSliceAsNull writes nil slices as null.
func FormatNilSliceAsNull(v bool) Options { return option{} }

// FormatNilMapAsNull writes nil maps as null.
func FormatNilMapAsNull(v bool) Options { return option{} }

// MatchCaseInsensitiveNames matches names case-insensitively.
func MatchCaseInsensitiveNames(v bool) Options { return option{} }
