package replay

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

const usage = `usage: upshift replay -base REV|DIR -head REV|DIR -pkg PATH -traffic FILE [flags]

Builds the service's main package (-pkg) of both versions, starts base
twice and head once from their package directories with PORT set (each
must listen on 127.0.0.1:$PORT), sends every recorded request to the
three copies (base, head, base again) and compares the answers: status,
headers, and bodies (JSON by path such as $.items[2].name, other text by
lines, the rest by bytes).

What differs between the two base copies is noise (timestamps, random
IDs), learned per endpoint and path from the traffic itself, and ignored
there. A difference is head answering otherwise where the two bases
agree. Order-only differences (the same elements in another order, an
object's keys reordered) are their own kind: usually map iteration order
(upshift vet -only maporder).

The traffic is JSON Lines, one request a line:
  {"method":"GET","url":"/user?id=1","header":{"Accept":["application/json"]},"body":"<base64>"}
or a HAR file (FILE.har; Authorization, Cookie and Set-Cookie are
redacted on import). perfcheck/middleware's Recorder writes JSON Lines.

Exit status: 0 no difference, 1 differences, 2 error (bad flags or
traffic, build failure, a copy that crashes or never listens).

Examples:
  upshift replay -base testdata/sample/baseline -head testdata/sample/migrated -pkg . -traffic testdata/sample/traffic.jsonl
  upshift replay -base v1.4.0 -head HEAD -pkg ./cmd/api -traffic prod-sample.jsonl -format json
  upshift replay -base main -head . -pkg ./cmd/web -traffic session.har -ignore-header X-Request-Id -format html > replay.html

Flags:
`

// Main runs `upshift replay`; args exclude "replay".
func Main(ctx context.Context, env command.Env, args []string) int {
	const name = "replay"
	fs := flag.NewFlagSet("upshift replay", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	base := fs.String("base", "", "base version: git revision or directory (required)")
	head := fs.String("head", "", "head version: git revision or directory (required)")
	pkg := fs.String("pkg", "", "the service's main package, relative to the module (required), e.g. . or ./cmd/server")
	file := fs.String("traffic", "", "recorded requests: JSON Lines, or a .har file (required)")
	format := fs.String("format", "text", "output format: text, json or html")
	ignore := fs.String("ignore-header", "", "more response headers not to compare, comma-separated (always ignored: "+strings.Join(DefaultIgnoreHeaders, ", ")+")")
	concurrency := fs.Int("concurrency", 1, "requests in flight at once; 1 keeps the recorded order, which a stateful service needs")
	maxRequests := fs.Int("max-requests", 100000, "refuse traffic files with more requests than this")
	timeout := fs.Duration("timeout", 10*time.Second, "per-request timeout")
	maxBody := fs.Int("max-body", 8<<20, "bytes of each response body compared")
	ready := fs.Duration("ready-timeout", 30*time.Second, "how long a copy may take to listen")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return command.ExitOK
	case err != nil:
		return command.ExitError
	case fs.NArg() > 0:
		return env.Errorf(name, "unexpected arguments %q: every input is a flag", fs.Args())
	case *base == "" || *head == "" || *pkg == "" || *file == "":
		return env.Errorf(name, "-base, -head, -pkg and -traffic are required")
	case *format != "text" && *format != "json" && *format != "html":
		return env.Errorf(name, "-format must be text, json or html, not %q", *format)
	case *concurrency < 1:
		return env.Errorf(name, "-concurrency must be at least 1")
	case *maxRequests < 1:
		return env.Errorf(name, "-max-requests must be at least 1")
	case *timeout <= 0:
		return env.Errorf(name, "-timeout must be positive")
	case *maxBody < 1:
		return env.Errorf(name, "-max-body must be at least 1")
	}
	var extra []string
	for _, h := range strings.Split(*ignore, ",") {
		if h = strings.TrimSpace(h); h != "" {
			extra = append(extra, h)
		}
	}
	path := *file
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	reqs, err := traffic.ReadFile(path, *maxRequests)
	if err != nil {
		return env.Errorf(name, "-traffic: %v", err)
	}
	cfg := Config{
		Dir: env.Dir, Base: *base, Head: *head, Pkg: *pkg, Traffic: reqs,
		IgnoreHeaders: extra, Concurrency: *concurrency, Timeout: *timeout,
		Ready: *ready, MaxBody: int64(*maxBody),
	}
	if env.Progress {
		cfg.Progress = env.Stderr
	}
	rep, err := Run(ctx, cfg)
	if err != nil {
		return env.Errorf(name, "%v", err)
	}
	switch *format {
	case "json":
		err = rep.WriteJSON(env.Stdout)
	case "html":
		err = rep.WriteHTML(env.Stdout)
	default:
		err = rep.WriteText(env.Stdout)
	}
	if err != nil {
		return env.Errorf(name, "%v", err)
	}
	if len(rep.Differences) > 0 {
		return command.ExitFindings
	}
	return command.ExitOK
}
