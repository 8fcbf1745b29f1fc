package cases

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"hash/fnv"
	"log"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type point struct{ x, y int }

type grid struct {
	cells []point
	arr   [4]point
	p     *point
}

var global point

func exits(t *testing.T, tb testing.TB, l *log.Logger) {
	defer func() {
		if r := recover(); r != nil {
			panic(r) // want `panic: exit`
		}
	}()
	os.Exit(1)          // want `os.Exit: exit`
	runtime.Goexit()    // want `runtime.Goexit: exit`
	log.Fatalf("x")     // want `log.Fatalf: exit printf@0`
	l.Panicln("x")      // want `Logger.Panicln: exit print@0`
	t.Fatalf("x %d", 1) // want `T.Fatalf: exit`
	t.SkipNow()         // want `T.SkipNow: exit`
	tb.FailNow()        // want `TB.FailNow: exit`
	t.Errorf("not an exit")
	log.Println("not an exit") // want `log.Println: print@0`
}

func compares(t *testing.T, a, b []string) {
	_ = reflect.DeepEqual(a, b)        // want `reflect.DeepEqual: equality@0`
	assert.Equal(t, a, b)              // want `assert.Equal: equality@1 testify Equal@1`
	assert.Equalf(t, a, b, "x")        // want `assert.Equalf: equality@1 testify Equal@1`
	assert.ElementsMatch(t, a, b)      // want `assert.ElementsMatch: testify ElementsMatch@1`
	assert.New(t).NotEqualf(a, b, "x") // want `assert.New: testify New@1` `Assertions.NotEqualf: equality@0 testify NotEqual@0`
	_ = strings.EqualFold(a[0], b[0])
	fmt.Fprintf(os.Stdout, "%v", a) // want `fmt.Fprintf: printf@1`
	_ = fmt.Sprint(a)               // want `fmt.Sprint: print@0`
	_ = sha256.Sum256([]byte(a[0])) // want `sha256.Sum256: hashfunc`
	_ = sha256.New()
}

func encodes(b *bytes.Buffer, v []string) {
	_, _ = json.Marshal(v)            // want `json.Marshal: encoding`
	_ = json.NewEncoder(b).Encode(v)  // want `Encoder.Encode: encoding`
	_ = hex.EncodeToString([]byte{1}) // want `hex.EncodeToString: encoding`
	b.WriteString("x")                // want `Buffer.WriteString: write`
}

func hashes() {
	var h hash.Hash = sha256.New() // want `h: hash`
	var f = fnv.New64a()           // want `f: hash`
	var w bytes.Buffer             // want `w: writer`
	var s strings.Builder          // want `s: writer`
	_, _, _, _ = h, f, w, s
}

func roots(g grid, gp *grid, m map[string]point) {
	g.cells[0].x = 1 // want `root g indexed=true indirect=true`
	g.arr[0].x = 1   // want `root g indexed=true indirect=false`
	g.p.x = 1        // want `root g indexed=false indirect=true`
	gp.arr[1].y = 2  // want `root gp indexed=true indirect=true`
	global.x = 3     // want `root global indexed=false indirect=false`
	m["k"] = point{} // want `root m indexed=true indirect=true`
}
