// Package assert is a stub of testify's assert for the analyzer's tests.
package assert

// TestingT is the subset of *testing.T the assertions use.
type TestingT interface {
	Errorf(format string, args ...any)
}

func Equal(t TestingT, expected, actual any, msgAndArgs ...any) bool       { return true }
func NotEqual(t TestingT, expected, actual any, msgAndArgs ...any) bool    { return true }
func EqualValues(t TestingT, expected, actual any, msgAndArgs ...any) bool { return true }

// Assertions is the object form.
type Assertions struct{ t TestingT }

func New(t TestingT) *Assertions { return &Assertions{t} }

func (a *Assertions) Equal(expected, actual any, msgAndArgs ...any) bool { return true }
