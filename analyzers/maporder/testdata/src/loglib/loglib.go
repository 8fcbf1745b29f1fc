// Package loglib stands in for a structured logging library (hclog, zap).
package loglib

// Logger logs key/value pairs.
type Logger struct{}

// Info logs msg with its arguments.
func (Logger) Info(msg string, args ...any) {}
