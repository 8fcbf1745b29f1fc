// Package writers renders maps to writers, hashes and terminals.
package writers

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"text/template"
)

// renderAll is the helm/helm#6843 shape: every template rendered into one
// manifest stream, in map order.
func renderAll(tpls map[string]*template.Template, vals any) (string, error) {
	var buf bytes.Buffer
	for name, t := range tpls { // want `map iteration order reaches writes to buf: the output differs between runs; range over the keys in sorted order`
		buf.WriteString("---\n# Source: " + name + "\n")
		if err := t.Execute(&buf, vals); err != nil {
			return "", err
		}
	}
	return buf.String(), nil
}

// renderSorted renders in file-name order.
func renderSorted(tpls map[string]*template.Template, vals any) (string, error) {
	names := make([]string, 0, len(tpls))
	for name := range tpls {
		names = append(names, name)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	for _, name := range names {
		buf.WriteString("---\n# Source: " + name + "\n")
		if err := tpls[name].Execute(&buf, vals); err != nil {
			return "", err
		}
	}
	return buf.String(), nil
}

type server struct {
	flags map[string]bool
	stats map[string]int
}

// handleFlags writes the feature flags to the response.
func (s *server) handleFlags(w http.ResponseWriter, r *http.Request) {
	for name, on := range s.flags { // want `writes to w`
		fmt.Fprintf(w, "%s=%t\n", name, on)
	}
}

// handleStats streams JSON objects, one per entry.
func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	enc := json.NewEncoder(w)
	for name, n := range s.stats { // want `values encoded to enc`
		if err := enc.Encode(map[string]int{name: n}); err != nil {
			return
		}
	}
}

// configDigest is a cache key over a config map.
func configDigest(cfg map[string]string) string {
	h := sha256.New()
	for k, v := range cfg { // want `writes to the hash h: the digest differs between runs`
		h.Write([]byte(k))
		h.Write([]byte(v))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// query concatenates a query string.
func query(params map[string]string) string {
	q := ""
	for k, v := range params { // want `the string q built by concatenation`
		q += k + "=" + v + "&"
	}
	return q
}

// printUsage prints the command list.
func printUsage(cmds map[string]string) {
	for name, help := range cmds { // want `fmt.Printf in the loop`
		fmt.Printf("  %-10s %s\n", name, help)
	}
}

// reportFailures logs every failure: low, below the default severity
// (lowsev has the same case at -maporder.min=low).
func reportFailures(failed map[string]error) {
	for name, err := range failed {
		log.Printf("%s: %v", name, err)
	}
}

// writeEntry writes one key and value.
func writeEntry(w io.Writer, k, v string) {
	io.WriteString(w, k+": "+v+"\n")
}

// writeHeaders hands the writer to a helper for each entry.
func writeHeaders(w io.Writer, h map[string]string) {
	for k, v := range h { // want `writes to w`
		writeEntry(w, k, v)
	}
}

// exportCSV writes a CSV row per entry.
func exportCSV(prices map[string]string) error {
	cw := csv.NewWriter(os.Stdout)
	for sku, price := range prices { // want `writes to cw`
		if err := cw.Write([]string{sku, price}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// describe builds a summary with a strings.Builder.
func describe(labels map[string]string) string {
	var b strings.Builder
	b.WriteString("{")
	for k, v := range labels { // want `writes to b`
		fmt.Fprintf(&b, "%s=%q,", k, v)
	}
	b.WriteString("}")
	return b.String()
}

// perKey renders each entry into its own string: one builder per iteration.
func perKey(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		var b strings.Builder
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(v)
		out[k] = b.String()
	}
	return out
}

// perKeyReset reuses one buffer, reset on every iteration.
func perKeyReset(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels))
	var buf bytes.Buffer
	for k, v := range labels {
		buf.Reset()
		buf.WriteString(k + "=" + v)
		out[k] = buf.String()
	}
	return out
}

// perKeyFiles writes each entry to the file of its key.
func perKeyFiles(files map[string]io.Writer, data map[string]string) {
	for k, w := range files {
		fmt.Fprintln(w, data[k])
	}
}

// setDigest combines per-entry hashes commutatively.
func setDigest(set map[string]bool) uint64 {
	var sum uint64
	for k := range set {
		h := fnv.New64a()
		h.Write([]byte(k))
		sum ^= h.Sum64()
	}
	return sum
}

// dots writes a constant per entry: the output is the same in any order.
func dots(w io.Writer, jobs map[string]bool) {
	for range jobs {
		io.WriteString(w, ".")
	}
	fmt.Fprintln(w, len(jobs), "jobs")
}

// findAndPrint prints the one match, then stops.
func findAndPrint(users map[string]int, id int) {
	for name, uid := range users {
		if uid == id {
			fmt.Println("found", name)
			return
		}
	}
}

// sumHeaders counts lengths and sizes: commutative.
func sumHeaders(h map[string][]string) (n int) {
	for k, vs := range h {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// debugDump only prints when a constant switch is on.
const debug = false

func debugDump(m map[string]int) {
	for k, v := range m {
		if debug {
			fmt.Println(k, v)
		}
	}
}

// sortedPrint prints in key order.
func sortedPrint(m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, m[k])
	}
}

// errorIf prints only a count after the loop.
func errorIf(failed map[string]error) {
	n := 0
	for _, err := range failed {
		if err != nil {
			n++
		}
	}
	fmt.Printf("%d failures\n", n)
}

// failOn writes once, on the way out.
func failOn(w io.Writer, checks map[string]error) error {
	for name, err := range checks {
		if err != nil {
			return reportError(w, name, err)
		}
	}
	return nil
}

func reportError(w io.Writer, name string, err error) error {
	fmt.Fprintf(w, "%s: %v\n", name, err)
	return err
}

// mustAll panics at the first failure, after printing it.
func mustAll(checks map[string]error) {
	for name, err := range checks {
		if err != nil {
			fmt.Println("failed:", name)
			panic(err)
		}
	}
}

// requireAll stops the test at the first failure, after printing it: the
// shared exit table counts t.Fatalf as an exit, as loopvar always did.
func requireAll(t *testing.T, checks map[string]error) {
	for name, err := range checks {
		if err != nil {
			fmt.Println("failed:", name)
			t.Fatalf("%s: %v", name, err)
		}
	}
}
