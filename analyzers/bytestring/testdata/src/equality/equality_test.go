package equality

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRender(t *testing.T) {
	got := render("bob")
	assert.Equal(t, "hello, bob", got)               // want `assert.Equal of got \(\[\]byte from render\) and string "hello, bob" always fails`
	require.Equal(t, got, "hello, bob")              // want `require.Equal of got`
	assert.NotEqual(t, "bye", got)                   // want `assert.NotEqual of got .* always passes`
	assert.New(t).Equal("hello, bob", render("bob")) // want `Assertions.Equal of render\("bob"\) and string`
	assert.EqualValues(t, "hello, bob", got)         // converts: fine
	assert.Equal(t, "hello, bob", string(got))       // fine
	assert.Equal(t, []byte("hello, bob"), got)       // fine
}
