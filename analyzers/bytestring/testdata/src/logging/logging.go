// Package logging runs helper commands and logs what they print.
package logging

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
)

// Run runs a command and wraps its output in the error.
func Run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s failed: %v: %v", name, err, out) // want `%v in fmt.Errorf prints out \(\[\]byte from exec.Cmd.CombinedOutput\) as a list of numbers`
	}
	return nil
}

// Proxy logs the upstream body.
func Proxy(resp *http.Response, logger *log.Logger) {
	body, _ := io.ReadAll(resp.Body)
	logger.Printf("upstream said %+v", body) // want `%\+v in log.Logger.Printf prints body \(\[\]byte from io.ReadAll\)`
	log.Println("body:", body)               // want `log.Println prints body \(\[\]byte from io.ReadAll\) as a list of numbers`
}

// Describe renders a value for a debug page.
func Describe(v any) string {
	b, _ := json.Marshal(v)
	return fmt.Sprint(b) // want `fmt.Sprint prints b \(\[\]byte from json.Marshal\) as a list of numbers`
}

// Motd prints the message of the day.
func Motd(w io.Writer) {
	data, _ := os.ReadFile("/etc/motd")
	fmt.Fprintf(w, "%[2]s: %[1]v\n", bytes.TrimSpace(data), "motd") // want `%v in fmt.Fprintf prints bytes.TrimSpace\(data\)`
	var msg any = data
	fmt.Println(msg) // want `fmt.Println prints msg \(holds \[\]byte from os.ReadFile\)`
}

// Hex shows binary data correctly or deliberately.
func Hex(data []byte, out []byte) {
	sum := sha256.Sum256(data)
	fmt.Printf("%x %X %q %s %d\n", data, data, data, data, data)
	fmt.Printf("%v\n", sum[:])
	key := make([]byte, 32)
	fmt.Printf("key=%v\n", key)
	fmt.Printf("%#v\n", out)
	digest := sha256.New().Sum(nil)
	fmt.Println(digest)
	fmt.Printf("%v\n", string(out))
	fmt.Printf("%v\n", sha256.New().Sum(nil))
}

// Text is a byte slice type that knows how to print itself.
type Text []byte

func (t Text) String() string { return string(t) }

// Show prints a Text.
func Show(t Text) {
	fmt.Printf("%v\n", t)
	fmt.Println(t)
}

// Forward passes a slice through: Printf's own checks cover these.
func Forward(format string, args ...any) { // want Forward:`wraps print \(format 0, operands 1\)`
	fmt.Printf(format, args...)
	fmt.Println(args...)
}
