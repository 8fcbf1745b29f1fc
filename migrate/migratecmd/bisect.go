package migratecmd

import "context"

// culprits returns the items whose inclusion makes breaks report true,
// given that breaks(items) is true: the items are split in halves and
// every half that breaks on its own is searched again, so k culprits
// among n items cost about 2k·log2(n) calls. When the whole breaks but
// neither half does alone (the culprits only break together), the whole
// is returned: leaving it out is what keeps the tests green.
//
// One bad fix must not sink a stage of ninety good ones: the stage keeps
// everything but the culprits.
func culprits[T any](ctx context.Context, items []T, breaks func(context.Context, []T) (bool, error)) ([]T, error) {
	if len(items) <= 1 {
		return items, nil
	}
	mid := len(items) / 2
	halves := [][]T{items[:mid], items[mid:]}
	var out []T
	for _, h := range halves {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bad, err := breaks(ctx, h)
		if err != nil {
			return nil, err
		}
		if !bad {
			continue
		}
		c, err := culprits(ctx, h, breaks)
		if err != nil {
			return nil, err
		}
		out = append(out, c...)
	}
	if len(out) == 0 {
		return items, nil
	}
	return out, nil
}
