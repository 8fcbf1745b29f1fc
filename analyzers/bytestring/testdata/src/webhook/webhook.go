// Package webhook routes decoded JSON events; it also builds replies that
// carry raw bytes under the same key. The decoded maps must not be
// confused with the replies.
package webhook

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
)

// Handle decodes an event and routes it.
func Handle(w http.ResponseWriter, r *http.Request) {
	var event map[string]any
	if err := json.NewDecoder(r.Body).Decode(&event); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	route(event)
}

// route compares a decoded value: a string.
func route(event map[string]any) bool {
	return event["type"] == "ping"
}

// reply echoes the request body back under "type".
func reply(r *http.Request) map[string]any {
	body, _ := io.ReadAll(r.Body)
	return map[string]any{"type": body}
}

// Frame is a binary protocol frame.
type Frame struct {
	Payload []byte
}

// Trace prints frames for debugging: binary content, printed as numbers on
// purpose, is not reported.
func Trace(f Frame, msg []byte) { // want Trace:"param 1 printed by %v in log.Printf in webhook.Trace"
	log.Printf("frame payload %v", f.Payload)
	log.Printf("raw %v", msg)
	fmt.Println(f.Payload)
}

// Echo logs the reply of a request.
func Echo(r *http.Request) {
	m := reply(r)
	log.Printf("reply %v", m["type"]) // want `%v in log.Printf prints m\["type"\] \(holds \[\]byte from io.ReadAll\)`
}

// decode returns a decoded event from a same-package helper.
func decode(r io.Reader) (map[string]any, error) {
	var m map[string]any
	err := json.NewDecoder(r).Decode(&m)
	return m, err
}

// IsPing compares through the helper: decoder output, not reported.
func IsPing(r io.Reader) bool {
	ev, err := decode(r)
	return err == nil && ev["type"] == "ping"
}
