// Package logx holds logging helpers other packages call.
package logx

import (
	"fmt"
	"log"
	"os"
)

// Failure wraps a command's output into an error: the output prints as
// numbers.
func Failure(cmd string, out []byte) error {
	return fmt.Errorf("%s: %v", cmd, out)
}

// Quoted prints its bytes as a quoted string: nothing to report.
func Quoted(out []byte) string {
	return fmt.Sprintf("%q", out)
}

// Debugf is a Printf wrapper.
func Debugf(format string, args ...any) {
	if os.Getenv("DEBUG") != "" {
		log.Printf(format, args...)
	}
}

// Motd returns the message of the day: text.
func Motd() []byte {
	data, _ := os.ReadFile("/etc/motd")
	return data
}
