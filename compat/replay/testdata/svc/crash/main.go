// Command crash is a head that dies on its first /user request, for the
// replay test of a copy that crashes mid-replay.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		log.Print("users: nil pointer dereference loading the profile")
		os.Exit(3)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}
