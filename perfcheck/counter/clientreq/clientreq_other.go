//go:build !amd64

package clientreq

const supported = false

func clientRequest(*[6]uintptr) uintptr { return 0 }
