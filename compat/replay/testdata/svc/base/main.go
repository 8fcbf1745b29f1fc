// Command base is the base version of the replay test pair: a user
// service whose answers carry a timestamp, a random request ID and a list
// built from a map (all noise, which two copies of base disagree on).
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"slices"
	"strconv"
	"time"
)

type user struct {
	ID        int      `json:"id"`
	FullName  string   `json:"full_name"`
	Balance   int64    `json:"balance"`
	ServedAt  string   `json:"served_at"`
	RequestID string   `json:"request_id"`
	Roles     []string `json:"roles"`
}

var roles = map[string]bool{"reader": true, "writer": true, "admin": true, "auditor": true, "billing": true, "support": true}

func handleUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.URL.Query().Get("id"))
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	var rid [8]byte
	rand.Read(rid[:])
	u := user{ID: id, FullName: "user-" + strconv.Itoa(id), Balance: int64(id)*1000000 + 250000,
		ServedAt: time.Now().Format(time.RFC3339Nano), RequestID: hex.EncodeToString(rid[:])}
	for role := range roles { // map order: differs from call to call
		u.Roles = append(u.Roles, role)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(u)
}

func handleTags(w http.ResponseWriter, r *http.Request) {
	tags := []string{}
	for t := range roles {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(tags)
}

func main() {
	http.HandleFunc("GET /user", handleUser)
	http.HandleFunc("GET /tags", handleTags)
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}
