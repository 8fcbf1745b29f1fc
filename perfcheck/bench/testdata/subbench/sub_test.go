package subbench

import "testing"

var sink int

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"a+b", "x y", "(paren)", "n=10", "n=100"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink += len(name)
			}
		})
	}
}

func BenchmarkParseAll(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink++
	}
}

func TestFails(t *testing.T) {} // tests never run: -test.run=^$
