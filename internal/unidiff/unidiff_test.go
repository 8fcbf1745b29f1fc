package unidiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeadersMatchDiff checks the hunk headers against diff(1) on a change
// with joined hunks, where go-udiff alone gets the new start lines wrong.
func TestHeadersMatchDiff(t *testing.T) {
	var before, after strings.Builder
	for i := 1; i <= 140; i++ {
		line := "line " + strings.Repeat("x", i%7) + "\n"
		before.WriteString(line)
		switch {
		case i == 7:
			after.WriteString("inserted\n" + line)
		case i == 33, i == 54, i == 60:
			after.WriteString("changed " + line)
		case i >= 80 && i < 85:
			// deleted
		case i == 120:
			after.WriteString(line + "added 1\nadded 2\n")
		default:
			after.WriteString(line)
		}
	}
	got, err := Unified("a/f", "b/f", before.String(), after.String())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, []byte(before.String()), 0o644)
	os.WriteFile(b, []byte(after.String()), 0o644)
	out, _ := exec.Command("diff", "-u", a, b).Output()
	if len(out) == 0 {
		t.Skip("diff(1) not available")
	}
	if g, w := headers(got), headers(string(out)); g != w {
		t.Errorf("hunk headers:\n%s\nwant (diff -u):\n%s", g, w)
	}
}

func headers(d string) string {
	var hs []string
	for _, l := range strings.Split(d, "\n") {
		if strings.HasPrefix(l, "@@") {
			hs = append(hs, l)
		}
	}
	return strings.Join(hs, "\n")
}

func TestEqual(t *testing.T) {
	got, err := Unified("a", "b", "same\n", "same\n")
	if err != nil || got != "" {
		t.Errorf("Unified of equal texts = %q, %v; want empty", got, err)
	}
}
