// Package m is the old API.
package m

// T has methods.
type T struct{ Inner }

// Inner is embedded in T.
type Inner struct{}

// Hello is promoted into T.
func (Inner) Hello() {}

// Get has a pointer receiver.
func (t *T) Get() int { return 0 }

// Put has a value receiver.
func (t T) Put(int) {}

// C is a channel type.
type C chan int

// K is a constant.
const K = "k"

// F becomes a var.
func F() {}
