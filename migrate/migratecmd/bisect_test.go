package migratecmd

import (
	"context"
	"slices"
	"testing"
)

func TestCulprits(t *testing.T) {
	items := []int{1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, tc := range []struct {
		name string
		// breaks reports whether a subset fails.
		breaks func(s []int) bool
		want   []int
	}{
		{"one", func(s []int) bool { return slices.Contains(s, 7) }, []int{7}},
		{"two apart", func(s []int) bool { return slices.Contains(s, 2) || slices.Contains(s, 9) }, []int{2, 9}},
		// 4 and 6 break only together: they land in different halves of
		// the first split, so the pair's enclosing set is what is left out.
		{"pair", func(s []int) bool { return slices.Contains(s, 4) && slices.Contains(s, 6) }, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"pair in one half", func(s []int) bool { return slices.Contains(s, 1) && slices.Contains(s, 2) }, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			got, err := culprits(context.Background(), items, func(_ context.Context, s []int) (bool, error) {
				calls++
				return tc.breaks(s), nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("culprits = %v, want %v", got, tc.want)
			}
			if calls > 2*len(items) {
				t.Errorf("%d calls for %d items: the search is not a bisection", calls, len(items))
			}
		})
	}
}
