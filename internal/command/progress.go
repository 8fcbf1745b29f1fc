package vetcmd

import (
	"fmt"
	"sync"
	"time"

	"github.com/upshift-dev/upshift/internal/command"
)

// progress shows what a long run is doing, with the elapsed time, on a
// terminal's stderr. It prints nothing when stderr is not a terminal, so CI
// logs stay clean.
type progress struct {
	mu    sync.Mutex
	env   command.Env
	stage string
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

func newProgress(env command.Env) *progress {
	p := &progress{env: env, start: time.Now(), stop: make(chan struct{})}
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
				fmt.Fprintf(p.env.Stderr, "\r\033[K%c upshift vet: %s (%s)", frames[i%len(frames)], p.stage, time.Since(p.start).Round(time.Second))
				p.mu.Unlock()
			}
		}
	}()
	return p
}

func (p *progress) set(stage string) {
	p.mu.Lock()
	p.stage = stage
	p.mu.Unlock()
}

// done clears the progress line; it may be called more than once.
func (p *progress) done() {
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
