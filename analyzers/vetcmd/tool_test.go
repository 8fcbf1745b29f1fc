package vetcmd

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exeHash serves the digest from its cache while the file is unchanged,
// and hashes again when the file changes.
func TestExeHashCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("HOME", dir)
	exe := filepath.Join(dir, "tool")
	digest := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:16])
	}
	require.NoError(t, os.WriteFile(exe, []byte("one"), 0o755))
	got, err := exeHash(exe)
	require.NoError(t, err)
	assert.Equal(t, digest("one"), got)
	got, err = exeHash(exe)
	require.NoError(t, err)
	assert.Equal(t, digest("one"), got, "from the cache")

	require.NoError(t, os.WriteFile(exe, []byte("two!"), 0o755))
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(exe, later, later))
	got, err = exeHash(exe)
	require.NoError(t, err)
	assert.Equal(t, digest("two!"), got, "a rebuilt binary is hashed again")
}
