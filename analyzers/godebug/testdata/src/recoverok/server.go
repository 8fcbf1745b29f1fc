// Package recoverok has the ordinary recovery middleware: no panic(nil) in
// sight, so nothing to report.
package recoverok

import (
	"fmt"
	"log"
	"net/http"
)

func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Printf("panic serving %s: %v", r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func safeCall(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	f()
	return nil
}

// A nil error compared with nil is not a recover() result.
func check(err error) {
	if err != nil {
		panic(fmt.Sprintf("check: %v", err))
	}
}
