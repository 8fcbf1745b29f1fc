// Command silent is a service that starts but never listens, for the perf
// capacity test of the readiness timeout.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("warming caches, this will take a while")
	time.Sleep(time.Hour)
}
