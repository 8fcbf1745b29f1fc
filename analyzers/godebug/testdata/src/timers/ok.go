package timers

import (
	"context"
	"time"
)

// Non-blocking drains work under both timer implementations.
func stopAndDrain(t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
}

// Stop without a drain is the Go 1.23 idiom.
func stopOnly(t *time.Timer, d time.Duration) {
	t.Stop()
	t.Reset(d)
}

// A select with another way out does not hang forever.
func stopOrCancel(ctx context.Context, t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// The receive from another timer is not a drain of this one.
func otherTimer(a, b *time.Timer) {
	if !a.Stop() {
		<-b.C
	}
}

// A drain in a goroutine does not block the caller.
func asyncDrain(t *time.Timer) {
	if !t.Stop() {
		go func() { <-t.C }()
	}
}

// Receiving in the positive branch is the normal "did it fire" test.
func firedCheck(t *time.Timer) time.Time {
	if t.Stop() {
		return time.Time{}
	}
	return time.Now()
}

// A home-grown timer type is not time.Timer.
type fakeTimer struct{ C chan time.Time }

func (f *fakeTimer) Stop() bool { return false }

func fake(f *fakeTimer) int {
	if !f.Stop() {
		<-f.C
	}
	return len(f.C)
}

// len of an ordinary channel is fine.
func queued(ch chan time.Time) int { return len(ch) }

func suppressed(t *time.Timer) {
	if !t.Stop() {
		//upshift:ignore godebug the timer is never received from elsewhere; go line stays at 1.22
		<-t.C
	}
}
