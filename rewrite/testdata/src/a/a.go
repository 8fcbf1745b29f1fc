// Package a has grouped imports and comments that must survive.
package a

import (
	"fmt"
	"os"

	"example.com/hz"
)

// Greet greets.
func Greet(name string) {
	// Say it loudly.
	msg := hz.Shout(name) // want "loud call"

	fmt.Fprintln(os.Stdout, msg) // trailing comment stays
}
