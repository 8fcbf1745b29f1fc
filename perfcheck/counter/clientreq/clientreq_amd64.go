package clientreq

const supported = true

// clientRequest performs the valgrind client request described by args
// (request code and up to five arguments) and returns its result, or 0
// when not running under valgrind.
//
//go:noescape
func clientRequest(args *[6]uintptr) uintptr
