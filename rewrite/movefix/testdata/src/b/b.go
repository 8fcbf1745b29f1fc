package b // want package:"move blocked at .*b.go:5:19"

import "github.com/pkg/errors"

var wrap = errors.Wrap // want `cannot move this file`

func f(err error) error {
	x := errors.Wrap(err, "x") // want `cannot move this file`
	return x
}
