// Package mux registers the routes of a small inventory service.
package mux

import (
	"net/http"
	"strings"
)

type server struct {
	mux *http.ServeMux
}

func (s *server) routes() {
	s.mux.HandleFunc("GET /items/{id}", s.getItem)                      // want `ServeMux pattern "GET /items/\{id\}" has a method prefix and \{wildcards\}: the mux before go1\.22 matches it as literal text.*GODEBUG httpmuxgo121 changed in go1\.22.*godebug httpmuxgo121=1`
	s.mux.HandleFunc("POST /items", s.createItem)                       // want `ServeMux pattern "POST /items" has a method prefix:`
	s.mux.Handle("/files/{path...}", http.FileServer(http.Dir("/srv"))) // want `has \{wildcards\}:`
	s.mux.HandleFunc("/{$}", s.index)                                   // want `has an end anchor \{\$\}:`
	s.mux.HandleFunc("/docs/release%20notes", s.index)                  // want `has %-escapes:`
	s.mux.HandleFunc("/search results", s.index)                        // want `has whitespace:`
}

const apiItem = "DELETE /api/v1/items/{id}"

func legacy() {
	http.HandleFunc(apiItem, func(w http.ResponseWriter, r *http.Request) {}) // want `"DELETE /api/v1/items/\{id\}" has a method prefix and \{wildcards\}`
	http.Handle("GET /healthz", http.NotFoundHandler())                       // want `has a method prefix:`
}

// embedded promotes ServeMux.Handle.
type embedded struct{ *http.ServeMux }

func (e embedded) register(h http.Handler) {
	e.Handle("PUT /config", h) // want `has a method prefix`
}

func (s *server) getItem(w http.ResponseWriter, r *http.Request)    {}
func (s *server) createItem(w http.ResponseWriter, r *http.Request) {}
func (s *server) index(w http.ResponseWriter, r *http.Request)      {}

// Plain paths, host patterns and computed patterns mean the same to both
// muxes (or cannot be judged).
func (s *server) plain(prefix string) {
	s.mux.HandleFunc("/", s.index)
	s.mux.HandleFunc("/healthz", s.index)
	s.mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("web"))))
	s.mux.HandleFunc("api.example.com/v1/", s.index)
	s.mux.HandleFunc(prefix+"/items", s.index)
	s.mux.HandleFunc(strings.TrimSuffix(prefix, "/")+"/{id}", s.index)
}

// router is a third-party style router: its patterns are its own business.
type router struct{}

func (router) Handle(pattern string, h http.Handler)                                 {}
func (router) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {}

func thirdParty(r router) {
	r.HandleFunc("GET /users/{id}", func(http.ResponseWriter, *http.Request) {})
	r.Handle("/users/:id", http.NotFoundHandler())
}

func ignored(mux *http.ServeMux, h http.Handler) {
	//upshift:ignore godebug routes written for the go1.22 mux; go line bump planned with them
	mux.Handle("GET /v2/{id}", h)
}
