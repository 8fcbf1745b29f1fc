// Package m is the new API.
package m

// T has methods.
type T struct{}

// Get has a pointer receiver and returns more.
func (t *T) Get() (int, error) { return 0, nil }

// Put has a value receiver.
func (t T) Put(int) {}

// C is a channel type.
type C <-chan int

// K is now a variable.
var K = "k"

// F became a var.
var F = func() {}
