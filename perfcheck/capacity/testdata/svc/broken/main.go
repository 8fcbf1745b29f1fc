// Command broken does not compile, for the perf capacity test of a build
// failure.
package main

func main() {
	var n int = "not a number"
	_ = n
}
