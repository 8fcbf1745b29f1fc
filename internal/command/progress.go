package command

import (
	"fmt"
	"sync"
	"time"
)

// Progress shows what a long run is doing, with the elapsed time, on a
// terminal's stderr. It prints nothing when stderr is not a terminal, so CI
// logs stay clean.
type Progress struct {
	mu    sync.Mutex
	env   Env
	name  string
	stage string
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

// NewProgress starts a progress line for the command called name. Call
// Done before printing results.
func NewProgress(env Env, name string) *Progress {
	p := &Progress{env: env, name: name, start: time.Now(), stop: make(chan struct{})}
	if !env.Progress {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		frames := `-\|/`
		for i := 0; ; i++ {
			select {
			case <-p.stop:
				fmt.Fprint(p.env.Stderr, "\r\033[K")
				return
			case <-tick.C:
				p.mu.Lock()
				fmt.Fprintf(p.env.Stderr, "\r\033[K%c %s: %s (%s)", frames[i%len(frames)], p.name, p.stage, time.Since(p.start).Round(time.Second))
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// Set names the current stage of the work.
func (p *Progress) Set(stage string) {
	p.mu.Lock()
	p.stage = stage
	p.mu.Unlock()
}

// Done clears the progress line; it may be called more than once.
func (p *Progress) Done() {
	if !p.env.Progress {
		return
	}
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.wg.Wait()
}
