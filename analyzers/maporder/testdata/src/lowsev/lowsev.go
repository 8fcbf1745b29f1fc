package lowsev

import (
	"log"
	"testing"

	"loglib"
)

// logEach logs a line per entry: low.
func logEach(m map[string]int) {
	for k, v := range m { // want `log.Printf in the loop: .* \[low\]`
		log.Printf("%s=%d", k, v)
	}
}

// logged hands the keys to a structured logger: low.
func logged(l loglib.Logger, m map[string]int) {
	var names []string
	for k := range m { // want `names passed to Logger.Info: .* \[low\]`
		names = append(names, k)
	}
	l.Info("loaded", "names", names)
}

// checkLogged prints the keys in a test failure message: low.
func checkLogged(t *testing.T, m map[string]int) {
	var got []string
	for k := range m { // want `got printed by T.Errorf: .* \[low\]`
		got = append(got, k)
	}
	if len(got) > 3 {
		t.Errorf("too many keys: %v", got)
	}
}
