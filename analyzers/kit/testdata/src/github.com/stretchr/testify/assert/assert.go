package assert

type TestingT interface {
	Errorf(format string, args ...any)
}

func Equal(t TestingT, expected, actual any, msgAndArgs ...any) bool        { return true }
func Equalf(t TestingT, expected, actual any, msg string, args ...any) bool { return true }
func ElementsMatch(t TestingT, listA, listB any, msgAndArgs ...any) bool    { return true }

type Assertions struct{ t TestingT }

func New(t TestingT) *Assertions                                                   { return &Assertions{t} }
func (a *Assertions) NotEqualf(expected, actual any, msg string, args ...any) bool { return true }
