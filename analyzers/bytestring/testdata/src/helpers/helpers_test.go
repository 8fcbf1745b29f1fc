package helpers

import (
	"bytes"
	"io"
	"net/http/httptest"
	"testing"
)

// Tests print fixtures with %v on purpose (binary bodies, byte-exact
// expectations): the testing printers are not checked.
func TestHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	body, _ := io.ReadAll(rec.Result().Body)
	if !bytes.Equal(body, []byte{0, 1}) {
		t.Errorf("body: %v", body)
	}
}
