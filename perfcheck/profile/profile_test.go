package profile

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

const sample = `# callgrind format
version: 1
creator: callgrind-3.19.0
cmd:  ./prog -x=1
part: 1

desc: I1 cache: 
positions: line
events: Ir
summary: 1000

ob=(1) /bin/prog
fl=(1) /src/main.go
fn=(1) main.main
10 5
+2 7
cfi=(2) /src/lib.go
cfn=(2) lib.Work'2
calls=3 20
* 900
-1 3
fi=(3) /src/inl.go
40 11
fe=(1)
12 2

fl=(2)
fn=(2)
21 100
cob=(1)
cfl=(2)
cfn=(2)
calls=1 21
+1 50
+1 9
`

func TestParseCallgrind(t *testing.T) {
	d, err := parseCallgrind(strings.NewReader(sample))
	require.NoError(t, err)
	assert.Equal(t, "./prog -x=1", d.cmd)
	want := map[site]uint64{
		{"/bin/prog", "main.main", "/src/main.go", 10}: 5,
		{"/bin/prog", "main.main", "/src/main.go", 12}: 7 + 2,
		{"/bin/prog", "main.main", "/src/main.go", 11}: 3,
		{"/bin/prog", "main.main", "/src/inl.go", 40}:  11,
		{"/bin/prog", "lib.Work", "/src/lib.go", 21}:   100,
		{"/bin/prog", "lib.Work", "/src/lib.go", 23}:   9,
	}
	assert.Equal(t, want, d.self)
	assert.Equal(t, uint64(5+7+3+11+2+100+9), d.total, "call costs are inclusive, not self")

	p := d.toProfile()
	require.NoError(t, p.CheckValid())
	var total int64
	for _, s := range p.Sample {
		total += s.Value[0]
	}
	assert.Equal(t, int64(d.total), total)
	assert.Equal(t, "instructions", p.SampleType[0].Type)
	assert.Equal(t, "count", p.SampleType[0].Unit)
}

func TestParseCallgrindErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no events":       "positions: line\nfn=f\n1 2\n",
		"no Ir":           "events: Dr\n",
		"dangling name":   "events: Ir\nfn=(7)\n1 2\n",
		"bad position":    "events: Ir\nfn=f\n+x 2\n",
		"unknown garbage": "events: Ir\nwhat is this\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseCallgrind(strings.NewReader(body))
			assert.Error(t, err)
		})
	}
}

func TestRecordOpensInPprof(t *testing.T) {
	if err := (&counter.Valgrind{}).Probe(context.Background()); err != nil {
		t.Skipf("valgrind backend unavailable, skipping: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "spin")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/spin").CombinedOutput()
	require.NoError(t, err, string(out))

	var stdout bytes.Buffer
	res, err := Record(context.Background(), counter.Command{Path: bin, Env: os.Environ(), Stdout: &stdout}, Options{})
	require.NoError(t, err)
	assert.Equal(t, "true\n", stdout.String())

	file := filepath.Join(dir, "instructions.pprof")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, res.Profile.Write(f))
	require.NoError(t, f.Close())

	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	p, err := profile.Parse(bytes.NewReader(raw))
	require.NoError(t, err)
	require.NoError(t, p.CheckValid())
	assert.Equal(t, "instructions", p.SampleType[0].Type)

	byFunc := map[string]int64{}
	var total int64
	for _, s := range p.Sample {
		byFunc[s.Location[0].Line[0].Function.Name] += s.Value[0]
		total += s.Value[0]
	}
	assert.InDelta(t, res.Reading.Primary().Value, float64(total), 1, "the profile accounts for every counted instruction")
	// hot calls mix(900000), cold mix(100000): both are mix's self cost,
	// so check mix and loopHot (inlined into main.main) instead.
	assert.Greater(t, byFunc["main.mix"], int64(5_000_000))
	assert.Greater(t, byFunc["main.main"], int64(4_000_000), "loopHot is inlined into main")

	top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=5", file).CombinedOutput()
	require.NoError(t, err, string(top))
	assert.Contains(t, string(top), "main.mix")
	assert.Contains(t, string(top), "Type: instructions")
	t.Logf("go tool pprof -top:\n%s", top)
}
