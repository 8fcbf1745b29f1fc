// Package panics is a request pipeline that aborts a stage with panic(nil)
// and tells a real crash from an abort by recover() == nil, like the
// transaction wrapper of newrelic/go-agent before PR #960.
package panics

import (
	"errors"
	"log"
)

type stage func(req map[string]string)

// abort stops the current stage without reporting an error.
func abort() {
	panic(nil) // want `panic\(nil\) panics with \*runtime\.PanicNilError from go1\.21.*GODEBUG panicnil changed in go1\.21.*godebug panicnil=1`
}

func abortErr() {
	panic(error(nil)) // want `panic\(nil\) panics with \*runtime\.PanicNilError`
}

func run(stages []stage, req map[string]string) (err error) {
	for _, s := range stages {
		func() {
			completed := false
			defer func() {
				r := recover()
				if r == nil && !completed { // want `r == nil compares a recover\(\) result with nil while this package calls panic\(nil\)`
					log.Printf("stage aborted")
					return
				}
				if r != nil { // want `r != nil compares a recover\(\) result with nil`
					err = errors.New("stage crashed")
				}
			}()
			s(req)
			completed = true
		}()
	}
	return err
}

func guard(f func()) (crashed bool) {
	defer func() {
		if recover() != nil { // want `recover\(\) != nil compares a recover\(\) result with nil`
			crashed = true
		}
	}()
	f()
	return false
}

// Panicking with a real value is unaffected.
func fail(err error) {
	panic(err)
}

func failf(msg string) {
	panic(errors.New(msg))
}
