package service

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A tiny module with two commands: one that listens on 127.0.0.1:$PORT
// and prints its working directory's config, one that dies at start.
var files = map[string]string{
	"go.mod":        "module example.com/svc\n\ngo 1.22\n",
	"ok/config.txt": "hello from ok\n",
	"ok/main.go": `package main

import ("fmt"; "net/http"; "os")

func main() {
	cfg, err := os.ReadFile("config.txt")
	if err != nil { panic(err) }
	fmt.Println("gc 1 @0.1s: machine line")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(cfg) })
	http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`,
	"dies/main.go": `package main

import ("fmt"; "os")

func main() { fmt.Fprintln(os.Stderr, "dies: cannot open the database"); os.Exit(3) }
`,
	"lib/lib.go": "package lib\n",
}

func TestBuildStart(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	bin := t.TempDir()
	if _, _, err := Build(ctx, root, "./lib", bin, "lib"); err == nil || !strings.Contains(err.Error(), "not a main package") {
		t.Errorf("building a library: %v", err)
	}
	if _, _, _, err := BuildVersion(ctx, root, "nosuch", "./ok", bin, "base"); err == nil || !strings.Contains(err.Error(), "base") {
		t.Errorf("a version that does not exist: %v", err)
	}
	okBin, okDir, cleanup, err := BuildVersion(ctx, root, ".", "./ok", bin, "base")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	var consumed []string
	p, err := Start(Spec{Label: "base", Bin: okBin, Dir: okDir, Env: os.Environ(),
		OnLine: func(l string) bool {
			if strings.HasPrefix(l, "gc ") {
				consumed = append(consumed, l)
				return true
			}
			return false
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if !strings.HasPrefix(p.Addr, "127.0.0.1:") {
		t.Errorf("address %s is not on 127.0.0.1", p.Addr)
	}
	if err := p.WaitReady(ctx, "/", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if done, _ := p.Exited(); done {
		t.Fatal("exited")
	}
	p.Stop()
	p.Stop() // twice is fine
	if done, _ := p.Exited(); !done {
		t.Error("still running after Stop")
	}
	if len(consumed) != 1 || p.Tail() != "(no output)" {
		t.Errorf("consumed %q, tail %q", consumed, p.Tail())
	}

	diesBin, diesDir, _, err := BuildVersion(ctx, root, ".", "./dies", bin, "head")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Start(Spec{Label: "head", Bin: diesBin, Dir: diesDir, Env: os.Environ()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	err = d.WaitReady(ctx, "/", 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "dies: cannot open the database") {
		t.Errorf("a service that dies: %v", err)
	}
}
