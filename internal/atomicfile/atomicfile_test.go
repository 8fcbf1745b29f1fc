package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.go")
	require.NoError(t, os.WriteFile(p, []byte("old"), 0o640))
	require.NoError(t, Write(p, []byte("new")))
	st, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	got, _ := os.ReadFile(p)
	assert.Equal(t, "new", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temp file left behind")
}

func TestWriteMissing(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "nope.go"), []byte("x"))
	assert.Error(t, err)
}
