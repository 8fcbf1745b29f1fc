// Command window does deterministic work outside and inside a valgrind
// measurement window, for the counter package's tests:
//
//	window OUTSIDE INSIDE
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/upshift-dev/upshift/perfcheck/counter/clientreq"
)

var sink uint64

func spin(n int) {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	sink += h
}

func main() {
	outside, _ := strconv.Atoi(os.Args[1])
	inside, _ := strconv.Atoi(os.Args[2])
	spin(outside)
	clientreq.Window(func() { spin(inside) })
	fmt.Println(clientreq.RunningOnValgrind(), sink != 0)
}
