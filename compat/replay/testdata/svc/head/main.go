// Command head is the head version of the replay test pair. Against base
// it renames full_name to fullName, prints the balance as a float
// (1.25e+06 instead of 1250000), and stopped sorting /tags; the
// timestamp, request ID and map-ordered roles stay as noisy as in base.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

type user struct {
	ID        int             `json:"id"`
	FullName  string          `json:"fullName"`
	Balance   json.RawMessage `json:"balance"`
	ServedAt  string          `json:"served_at"`
	RequestID string          `json:"request_id"`
	Roles     []string        `json:"roles"`
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
	balance := float64(id)*1e6 + 250000
	u := user{ID: id, FullName: "user-" + strconv.Itoa(id),
		Balance:  json.RawMessage(strconv.FormatFloat(balance, 'g', -1, 64)),
		ServedAt: time.Now().Format(time.RFC3339Nano), RequestID: hex.EncodeToString(rid[:])}
	for role := range roles {
		u.Roles = append(u.Roles, role)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(u)
}

func handleTags(w http.ResponseWriter, r *http.Request) {
	tags := []string{}
	for t := range roles { // the sort was dropped: map order now
		tags = append(tags, t)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(tags)
}

func main() {
	http.HandleFunc("GET /user", handleUser)
	http.HandleFunc("GET /tags", handleTags)
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}
