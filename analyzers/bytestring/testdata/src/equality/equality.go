// Package equality compares rendered output with expectations.
package equality

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
)

// render produces the page body.
func render(name string) []byte {
	var buf bytes.Buffer
	buf.WriteString("hello, " + name)
	return buf.Bytes()
}

// Unchanged compares the body with the cached text: never equal.
func Unchanged(name, cached string) bool {
	return reflect.DeepEqual(render(name), cached) // want `reflect.DeepEqual of render\(name\) and string cached is always false`
}

// SameVersion compares command output with a constant.
func SameVersion() bool {
	out, _ := exec.Command("git", "describe").Output()
	return reflect.DeepEqual("v1.2.3", out) // want `reflect.DeepEqual of out \(\[\]byte from exec.Cmd.Output\) and string "v1.2.3" is always false`
}

// Stored holds marshalled JSON in an interface map.
func Stored(v any) bool {
	doc := map[string]any{}
	b, _ := json.Marshal(v)
	doc["body"] = b
	return reflect.DeepEqual(doc["body"], `{"a":1}`) // want `reflect.DeepEqual of doc\["body"\] \(holds \[\]byte from json.Marshal\) and string`
}

// Good compares like with like.
func Good(name, cached string) bool {
	if reflect.DeepEqual(string(render(name)), cached) {
		return true
	}
	if bytes.Equal(render(name), []byte(cached)) {
		return true
	}
	return reflect.DeepEqual(strings.Fields(cached), []string{"hello"})
}

// BothBytes is fine.
func BothBytes(a, b []byte) bool { return reflect.DeepEqual(a, b) }
