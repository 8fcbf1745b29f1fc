// Command catalog serves a product catalog. It is upshift's bundled sample:
// this is the version after the migration. Rendering got cheaper, and the
// config loader stopped converting values to strings to save allocations.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// config holds the settings read from config.txt.
type config map[string]any

func loadConfig(path string) (config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg := config{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, value, ok := bytes.Cut(line, []byte("="))
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		// Keep the value as bytes: no string allocation per setting.
		cfg[string(bytes.TrimSpace(key))] = bytes.Clone(bytes.TrimSpace(value))
	}
	return cfg, sc.Err()
}

type item struct {
	ID    int
	Name  string
	Price int // cents
}

type server struct {
	items     []item
	streaming bool
	pool      sync.Pool
}

func newServer(cfg config, n int) *server {
	s := &server{streaming: cfg["response_mode"] == "streaming"}
	s.pool.New = func() any { b := make([]byte, 0, 64<<10); return &b }
	for i := 0; i < n; i++ {
		s.items = append(s.items, item{ID: i, Name: "item-" + strconv.Itoa(i), Price: 100 + i*7%900})
	}
	return s
}

func (s *server) render(buf []byte, it item) []byte {
	buf = append(buf, `{"id":`...)
	buf = strconv.AppendInt(buf, int64(it.ID), 10)
	buf = append(buf, `,"name":"`...)
	buf = append(buf, it.Name...)
	buf = append(buf, `","price":"`...)
	buf = strconv.AppendInt(buf, int64(it.Price/100), 10)
	buf = append(buf, '.')
	if c := it.Price % 100; c < 10 {
		buf = append(buf, '0')
	}
	buf = strconv.AppendInt(buf, int64(it.Price%100), 10)
	buf = append(buf, `"}`...)
	return buf
}

// handleItems renders the catalog. In streaming mode it reuses pooled
// buffers; otherwise every request builds its own large page buffer.
func (s *server) handleItems(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	var buf []byte
	if s.streaming {
		p := s.pool.Get().(*[]byte)
		defer s.pool.Put(p)
		buf = (*p)[:0]
	} else {
		buf = make([]byte, 0, 4<<20)
	}
	buf = append(buf, '[')
	for i, it := range s.items {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = s.render(buf, it)
	}
	buf = append(buf, ']')
	w.Write(buf)
}

func main() {
	cfg, err := loadConfig("config.txt")
	if err != nil {
		log.Fatal(err)
	}
	n, _ := strconv.Atoi(fmt.Sprintf("%s", cfg["page_size"]))
	s := newServer(cfg, n)
	log.Printf("catalog: streaming=%v items=%d", s.streaming, len(s.items))
	mux := http.NewServeMux()
	mux.HandleFunc("/items", s.handleItems)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, mux))
}
