// Package work is a tiny workload for upshift perf bench's tests: head
// does 12% fewer hashing rounds than base, and Format is unchanged.
package work

import "strconv"

// Rounds is how many mixing rounds Hash does.
const Rounds = 880

// Hash mixes seed through Rounds rounds of FNV-style hashing.
func Hash(seed uint64) uint64 {
	h := seed ^ 14695981039346656037
	for i := 0; i < Rounds; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

// Format renders n in decimal with a unit, allocating the result.
func Format(n int) string {
	return strconv.Itoa(n) + " requests"
}
