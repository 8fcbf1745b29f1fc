// Package flags loads feature flags into a map that is handed around.
package flags

import (
	"bytes"
	"os"
)

func load(path string) map[string]any {
	m := make(map[string]any)
	raw, _ := os.ReadFile(path)
	m["compress"] = bytes.TrimSpace(raw)
	m["region"] = "eu-west-1"
	return m
}

// apply receives the loaded map as a parameter.
func apply(opts map[string]any) (gzip, eu bool) {
	gzip = opts["compress"] == "gzip" // want `comparison of opts\["compress"\] \(holds \[\]byte from bytes.TrimSpace\) with string "gzip" is always false`
	eu = opts["region"] == "eu-west-1"
	return gzip, eu
}

// Start wires loading and applying.
func Start() (bool, bool) { return apply(load("/etc/flags")) }

// Cache keeps the last values in a package variable.
var cache = map[string]interface{}{}

// Remember stores the raw flag file.
func Remember(path string) {
	data, err := os.ReadFile(path)
	if err == nil {
		cache["last"] = data
	}
}

// LastWas compares the cached value.
func LastWas(s string) bool {
	return cache["last"] == s // want `comparison of cache\["last"\] \(holds \[\]byte from os.ReadFile\) with string s is always false`
}
