// Package timers is a span batcher and retry helper in the shape of the
// opentelemetry-go batch span processor that hung under Go 1.23 timers.
package timers

import (
	"context"
	"sync"
	"time"
)

type span struct{ name string }

type batcher struct {
	mu       sync.Mutex
	queue    chan span
	batch    []span
	timer    *time.Timer
	interval time.Duration
	export   func([]span)
}

func (b *batcher) processQueue(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.timer.C:
			b.flush()
			b.timer.Reset(b.interval)
		case s := <-b.queue:
			b.mu.Lock()
			b.batch = append(b.batch, s)
			full := len(b.batch) >= 512
			b.mu.Unlock()
			if full {
				if !b.timer.Stop() {
					<-b.timer.C // want `<-b\.timer\.C after b\.timer\.Stop\(\) returned false blocks forever under Go 1\.23 timers.*GODEBUG asynctimerchan changed in go1\.23; this module moves from go1\.20 to go1\.26\): drain with a select that has a default case, or keep the old behaviour with .godebug asynctimerchan=1. in go\.mod`
				}
				b.flush()
				b.timer.Reset(b.interval)
			}
		}
	}
}

func (b *batcher) flush() {
	b.mu.Lock()
	batch := b.batch
	b.batch = nil
	b.mu.Unlock()
	b.export(batch)
}

// resetDeadline restarts a retry deadline; the drain is stored in a
// variable first.
func resetDeadline(t *time.Timer, d time.Duration) {
	stopped := t.Stop()
	if !stopped {
		<-t.C // want `<-t\.C after t\.Stop\(\) returned false blocks forever`
	}
	t.Reset(d)
}

func resetInInit(t *time.Timer, d time.Duration) {
	if ok := t.Stop(); !ok {
		_ = <-t.C // want `blocks forever under Go 1\.23 timers`
	}
	t.Reset(d)
}

// drainWithSelect blocks just the same: a select whose only case is the
// timer's channel.
func drainWithSelect(t *time.Timer) {
	if !t.Stop() {
		select { // want `<-t\.C after t\.Stop\(\) returned false blocks forever`
		case <-t.C:
		}
	}
}

func resetAndDrain(t *time.Timer, d time.Duration) {
	if !t.Reset(d) {
		<-t.C // want `<-t\.C after t\.Reset\(\) returned false no longer drains a stale value`
	}
}

type poller struct {
	tick *time.Ticker
	wake *time.Timer
}

// backlog reports ticks that are waiting; with unbuffered channels there
// never are any.
func (p *poller) backlog() bool {
	return len(p.tick.C) > 0 // want `len\(p\.tick\.C\) is always 0 under Go 1\.23 timers`
}

func (p *poller) drainWake() {
	for len(p.wake.C) > 0 { // want `len\(p\.wake\.C\) is always 0`
		<-p.wake.C
	}
	if cap(p.wake.C) == 1 { // want `cap\(p\.wake\.C\) is always 0`
		return
	}
}
