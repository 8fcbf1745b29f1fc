// Package errors is a stand-in with github.com/pkg/errors' API shape for
// the analyzer's tests.
package errors

import "fmt"

func New(msg string) error                                      { return fmt.Errorf("%s", msg) }
func Errorf(format string, args ...interface{}) error           { return fmt.Errorf(format, args...) }
func Wrap(err error, msg string) error                          { return err }
func Wrapf(err error, format string, args ...interface{}) error { return err }
func WithMessage(err error, msg string) error                   { return err }
func WithMessagef(err error, format string, args ...interface{}) error {
	return err
}
func WithStack(err error) error     { return err }
func Cause(err error) error         { return err }
func Is(err, target error) bool     { return err == target }
func As(err error, target any) bool { return false }
func Unwrap(err error) error        { return nil }
