package svc

import "time"

// restart drains the timer the pre-go1.23 way, which blocks forever with
// go1.23 timers: godebug's fix (safe tier) drains with a select.
func restart(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		} // want godebug
	}
	t.Reset(d)
}
