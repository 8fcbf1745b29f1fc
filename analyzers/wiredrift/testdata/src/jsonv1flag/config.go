// Package jsonv1flag uses encoding/json v1; the tests run it with
// -wiredrift.jsonv2 set, declaring that the module moves to v2.
package jsonv1flag

import (
	"encoding/json"
	"io"
	"strings"
	"time"
)

// Limits are per-tenant quotas.
type Limits struct {
	MaxConns uint32        `json:"max_conns,omitempty"` // want `Limits.MaxConns has omitempty on uint32: v1 omits 0, json v2 writes 0`
	Window   time.Duration `json:"window"`              // want `Limits.Window is a time.Duration`
	Burst    time.Duration `json:"burst,format:nano"`
	Quota    int           `json:"quota,omitzero"`
}

// Tenant is returned by the admin API.
type Tenant struct {
	Name    string            `json:"name"`
	Limits  *Limits           `json:"limits,omitempty"`
	Meta    map[string]string `json:"meta"` // want `Tenant.Meta \(map\[string\]string\) has no omitempty: v1 writes null for a nil map, json v2 writes \{\}`
	Aliases []string          `json:"aliases,omitempty"`
	Enabled bool              `json:"enabled"`
}

// Patch is only decoded.
type Patch struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

// WriteTenant streams a tenant.
func WriteTenant(w io.Writer, t *Tenant) error {
	return json.NewEncoder(w).Encode(t)
}

// ReadPatch decodes a patch body.
func ReadPatch(r io.Reader) (Patch, error) {
	var p Patch
	err := json.NewDecoder(r).Decode(&p)
	return p, err
}

// builtinTenant is decoded from a literal written with Go field names.
func builtinTenant() (Tenant, error) {
	var t Tenant
	err := json.NewDecoder(strings.NewReader(`{"Name": "system", "enabled": true}`)).Decode(&t) // want `JSON key "Name" decoded here matches field Tenant.Name \(JSON name "name"\) only case-insensitively`
	return t, err
}
