package work

import "testing"

var (
	sink    uint64
	sinkStr string
	sinkBuf []byte
)

func BenchmarkHash(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += Hash(uint64(i))
	}
}

func BenchmarkFormat(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkStr = Format(i & 1023)
	}
}

// BenchmarkBuffer allocates 1 KiB per operation, so that counted runs
// with GC on go through many GC cycles.
func BenchmarkBuffer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkBuf = make([]byte, 1024)
		sinkBuf[i&1023] = byte(i)
	}
}
