// Command crash is a service that dies at start-up, for the perf capacity
// test of a service that never listens because it exits.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "catalog: loading config.txt: no such file or directory")
	os.Exit(3)
}
