// Command spin spends about nine times more instructions in hot than in
// cold, for the profile package's tests.
package main

import "fmt"

var sink uint64

//go:noinline
func mix(n int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

//go:noinline
func hot() { sink += mix(900000) }

//go:noinline
func cold() { sink += mix(100000) }

func loopHot() {
	h := uint64(1)
	for i := 0; i < 2000000; i++ {
		h = h*31 + uint64(i)
	}
	sink += h
}

func main() {
	hot()
	cold()
	loopHot()
	fmt.Println(sink != 0)
}
