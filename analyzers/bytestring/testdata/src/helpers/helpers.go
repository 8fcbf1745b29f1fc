// Package helpers hands []byte to the package's own helpers and to another
// package's: the print happens where the bytes arrive as a parameter.
package helpers

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"

	"crosspkg/logx"
)

// report wraps the output of a failed command.
func report(name string, out []byte) error {
	return fmt.Errorf("%s failed: %v", name, out) // want `%v in fmt.Errorf prints out \(\[\]byte from exec.Cmd.CombinedOutput, passed by helpers.Run\) as a list of numbers`
}

// Run runs a command; its output reaches report as a parameter.
func Run(name string) error {
	out, err := exec.Command(name).CombinedOutput()
	if err != nil {
		return report(name, out)
	}
	return nil
}

// dump prints a document through a second helper.
func dump(doc []byte) {
	show(doc[1:])
}

func show(data []byte) {
	fmt.Println("doc:", data) // want `fmt.Println prints data \(\[\]byte from json.Marshal, passed by helpers.Describe\)`
}

// Describe marshals a value and hands it to dump.
func Describe(v any) {
	b, _ := json.Marshal(v)
	dump(b)
}

// Server logs through its own Printf wrapper.
type Server struct {
	log *log.Logger
}

func (s *Server) logf(format string, args ...any) {
	s.log.Printf(format, args...)
}

// Fetch logs a response body with the wrapper.
func (s *Server) Fetch(resp *http.Response) {
	data, _ := io.ReadAll(resp.Body)
	s.logf("upstream: %v", data) // want `%v in helpers.Server.logf prints data \(\[\]byte from io.ReadAll\)`
	s.logf("upstream: %s", data)
}

// readConfig returns what a file holds: text.
func readConfig(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return b
}

// Config prints a helper's text result.
func Config() {
	cfg := readConfig("app.conf")
	log.Printf("config %v", cfg) // want `%v in log.Printf prints cfg \(\[\]byte from readConfig\)`
}

// Remote hands text to another package's helpers.
func Remote() error {
	out, err := exec.Command("ls").Output()
	if err != nil {
		return err
	}
	_ = logx.Quoted(out)
	logx.Debugf("ls: %v", out)      // want `%v in logx.Debugf prints out \(\[\]byte from exec.Cmd.Output\)`
	fmt.Printf("%v\n", logx.Motd()) // want `%v in fmt.Printf prints logx.Motd\(\)`
	return logx.Failure("ls", out)  // want `logx.Failure prints out \(\[\]byte from exec.Cmd.Output\) as a list of numbers \(\[104 101 ...\]\), not text, with %v in fmt.Errorf in logx.Failure`
}

// trace prints binary frames with %v: callers only pass binary data.
func trace(frame []byte) {
	log.Printf("frame %v", frame)
}

// Frames passes checksums and fresh buffers: nothing is text.
func Frames(data []byte) {
	sum := sha256.Sum256(data)
	trace(sum[:])
	trace(make([]byte, 16))
	trace(data)
}

// hexdump prints on purpose in a form made for bytes.
func hexdump(b []byte) {
	fmt.Printf("%x %q\n", b, b)
	fmt.Printf("% x\n", b)
	fmt.Printf("%s\n", b)
}

// printKey prints a parameter whose name says it is binary.
func printKey(key []byte) {
	fmt.Println(key)
}

// rewrap prints a parameter after it was reassigned: no longer the caller's.
func rewrap(out []byte) {
	out = append([]byte("prefix: "), out...)
	fmt.Println(out)
}

// Safe passes text only where the print is deliberate.
func Safe() {
	out, _ := exec.Command("ls").Output()
	hexdump(out)
	printKey(out)
	rewrap(out)
}
