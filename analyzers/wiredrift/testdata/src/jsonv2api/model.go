// Package jsonv2api is an HTTP API that has switched its JSON import to the
// v2 prototype. Its types were written for encoding/json v1.
package jsonv2api

import (
	"strconv"
	"time"
)

// Money marshals itself, but only through a pointer.
type Money struct {
	Cents    int64
	Currency string
}

// MarshalJSON writes "12.34 EUR".
func (m *Money) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(strconv.FormatInt(m.Cents, 10) + " " + m.Currency)), nil
}

// Paging can encode as {}: every field is omitted when empty.
type Paging struct {
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitzero"`
}

// Retry always has a backoff, so it never encodes as {}.
type Retry struct {
	Attempts int           `json:"attempts,omitempty"` // want `Retry.Attempts has omitempty on int: v1 omits 0, json v2 writes 0 \(omitempty now omits only null, "", \{\} and \[\]\); use omitzero`
	Enabled  bool          `json:"enabled,omitempty"`  // want `Retry.Enabled has omitempty on a bool: v1 omits false, json v2 writes false`
	Backoff  time.Duration `json:"backoff"`            // want `Retry.Backoff is a time.Duration: v1 writes it as integer nanoseconds, json v2 has no default Duration format and fails to marshal it; add .format:nano. to keep v1's numbers`
	MaxWait  time.Duration `json:"max_wait,format:nano"`
}

// Widget is the API's main resource.
type Widget struct {
	ID       string            `json:"id"`
	Name     string            `json:"name,omitempty"`
	Tags     []string          `json:"tags"` // want `Widget.Tags \(\[\]string\) has no omitempty: v1 writes null for a nil slice, json v2 writes \[\]; add .format:emitnull. to keep null, or omitempty to drop it in both`
	Labels   map[string]string `json:"labels,omitempty"`
	Parts    []string          `json:"parts,format:emitnull"`
	Created  time.Time         `json:"created,omitempty"` // want `Widget.Created has omitempty on time.Time: it never omits in v1 or json v2`
	Updated  time.Time         `json:"updated,omitzero"`
	Paging   Paging            `json:"paging,omitempty"` // want `Widget.Paging has omitempty on struct Paging: v1 always writes it, json v2 omits it when it encodes as \{\}`
	Retry    Retry             `json:"retry,omitempty"`
	Nickname *string           `json:"nickname,omitempty"` // want `Widget.Nickname has omitempty on \*string: v1 omits only nil, json v2 also omits a pointer to ""; use omitzero to omit only nil`
	Count    *int              `json:"count,omitempty"`
	Version  int64             `json:"version,string"`
	Public   bool              `json:"public,string"` // want `Widget.Public has ,string on a bool: v1 writes "true", json v2 applies ,string only to numbers and writes true`
	Shard    [4]int            `json:"shard,omitempty"`
	Digest   [32]byte          `json:"digest"`                 // want `Widget.Digest is \[32\]byte: v1 writes it as an array of numbers, json v2 as a base64 string and rejects arrays on input; add .format:array. to keep v1's form`
	Sizes    []int64           `json:"sizes,string,omitempty"` // want `Widget.Sizes has ,string on a composite of numbers: v1 ignores it and writes plain numbers, json v2 quotes every number inside`
	Price    Money             `json:"price"`                  // want `Widget.Price \(Money\) has MarshalJSON on the pointer receiver only and sits in a value marshalled without a pointer`
	Extra    any               `json:"extra,omitempty"`
	Skip     []string          `json:"-"`
	internal map[string]int
}

// Status writes its own JSON: its fields are not looked into.
type Status struct {
	Code    int  `json:"code,omitempty"`
	Healthy bool `json:"healthy,omitempty"`
}

// MarshalJSON writes the status as a string.
func (s Status) MarshalJSON() ([]byte, error) { return []byte(`"ok"`), nil }

// SearchRequest is only ever decoded: nil slices do not matter on input.
type SearchRequest struct {
	Query   string        `json:"query"`
	Facets  []string      `json:"facets"`
	Timeout time.Duration `json:"timeout"` // want `SearchRequest.Timeout is a time.Duration: .* fails to decode any value given for it`
}

// Legacy is only marshalled with full v1 options.
type Legacy struct {
	Count int      `json:"count,omitempty"`
	Names []string `json:"names"`
}

// Counters is marshalled with v1's omitempty semantics.
type Counters struct {
	Hits   int `json:"hits,omitempty"`
	Misses int `json:"misses,omitempty"`
}

// V1Only is marshalled with encoding/json v1 in this package.
type V1Only struct {
	N     int      `json:"n,omitempty"`
	Items []string `json:"items"`
}

// Settings is decoded from a literal with mismatched key case.
type Settings struct {
	Port     int    `json:"port"`
	Host     string `json:"host"`
	LogLevel string
}
