package compatcmd

import (
	"context"
	"errors"

	"github.com/upshift-dev/upshift/compat/wire"
	"github.com/upshift-dev/upshift/internal/command"
)

const wireHelp = `usage: upshift compat wire -base REV|DIR [-head REV|DIR] [-roundtrip] [-format text|json|sarif] [-suppress FILE]

Reports whether data written by one version can be read by the other, for
every type passed to encoding/json or encoding/gob (Marshal, Unmarshal,
Encode, Decode, Register) or marked with a //upshift:wire comment.

Directions: BACKWARD = head reads base data, FORWARD = base reads head data,
FULL = both. Silent loss (renamed field, changed key, narrowed number,
removed field) is listed before loud decode errors; each finding says which
side must deploy first or that the cache keys must be versioned.
Exit 1 when any direction breaks.

-roundtrip also builds one program per side, fills every type, and decodes
each side's data with the other (needs the go command).

examples:
  upshift compat wire -base v1.4.0
  upshift compat wire -base main -head HEAD -roundtrip
  upshift compat wire -base ../old -head . -format json

flags:
`

func runWire(ctx context.Context, env command.Env, args []string) int {
	var c common
	fs := newFlagSet(env, "wire", wireHelp)
	c.register(fs, ".")
	roundtrip := fs.Bool("roundtrip", false, "also encode with each side and decode with the other (generated programs)")
	if code, ok := parse(env, fs, args); !ok {
		return code
	}
	const cmd = "compat wire"
	in, code, ok := prepare(ctx, env, cmd, fs, &c)
	if !ok {
		return code
	}
	defer in.cleanup()
	format, sups, bm, hm := in.format, in.sups, in.base, in.head
	a, err := wire.Analyze(bm, hm)
	nothing := errors.Is(err, wire.ErrNoSerializedTypes)
	if err != nil && !nothing {
		return env.Errorf(cmd, "%v", err)
	}
	if nothing {
		// A service that serializes nothing has no data to break: that
		// is an answer (exit 0), not a failure.
		a = &wire.Analysis{Base: bm, Head: hm}
	}
	r := wire.Compare(a)
	r.Base, r.Head = c.base, c.head
	if nothing {
		r.Notes = append(r.Notes, "nothing to compare: "+err.Error())
	}
	if *roundtrip && !nothing {
		rt, err := wire.Roundtrip(ctx, a)
		if err != nil {
			return env.Errorf(cmd, "%v", err)
		}
		r.Findings = append(r.Findings, rt.Findings...)
		r.Notes = append(r.Notes, rt.Notes...)
	}
	r.Suppress(sups)
	wire.Decide(r)
	r.Sort()
	return emit(ctx, env, format, r)
}
