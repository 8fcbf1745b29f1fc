// Package require is a stub of testify's require for the analyzer's tests.
package require

// TestingT is the subset of *testing.T the assertions use.
type TestingT interface {
	Errorf(format string, args ...any)
}

func Equal(t TestingT, expected, actual any, msgAndArgs ...any) {}
