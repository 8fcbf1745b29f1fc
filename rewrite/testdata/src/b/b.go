package b

import "example.com/hz"

var strings = "taken"

// Both calls are rewritten; the import of hz goes once the last use is gone.
func Both(a string) (string, string) {
	return hz.Shout(a) /* inline comment */, hz.Shout(strings) // want "loud call" "loud call"
}
