package command

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args, rest []string
		only       string
		w          bool
	}{
		{[]string{"./...", "-only", "x"}, []string{"./..."}, "x", false},
		{[]string{"-w", "a", "-only=y", "b"}, []string{"a", "b"}, "y", true},
		{[]string{"a", "--", "-only", "z"}, []string{"a", "-only", "z"}, "", false},
		{[]string{"--", "-w"}, []string{"-w"}, "", false},
		{nil, nil, "", false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		only := fs.String("only", "", "")
		w := fs.Bool("w", false, "")
		rest, err := ParseInterspersed(fs, tc.args)
		require.NoError(t, err, "%q", tc.args)
		assert.Equal(t, tc.rest, rest, "%q", tc.args)
		assert.Equal(t, tc.only, *only, "%q", tc.args)
		assert.Equal(t, tc.w, *w, "%q", tc.args)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	_, err := ParseInterspersed(fs, []string{"./...", "-nope"})
	assert.ErrorContains(t, err, "flag provided but not defined: -nope")
}

func TestCheckModule(t *testing.T) {
	t.Setenv("GO111MODULE", "")
	dir := t.TempDir()
	err := CheckModule(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no go.mod in "+dir+" (not a Go module)")
	sub := filepath.Join(dir, "a", "b")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n"), 0o644))
	assert.NoError(t, CheckModule(sub))
}
