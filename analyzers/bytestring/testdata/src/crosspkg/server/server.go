// Package server configures itself from settings.
package server

import "crosspkg/settings"

// Compact reports whether compaction is on: it never is.
func Compact() bool {
	v, err := settings.Get("compact")
	if err != nil {
		return false
	}
	return v == "yes" // want `comparison of v \(holds \[\]byte from os.ReadFile\) with string "yes" is always false`
}

// Verbose uses the text helper: fine.
func Verbose() bool {
	return settings.Text("verbose") == "yes"
}
