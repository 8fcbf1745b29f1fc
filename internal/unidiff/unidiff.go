// Package unidiff prints unified diffs that patch tools accept.
//
// It wraps github.com/aymanbagabas/go-udiff, whose v0.4.1 miscounts the
// new-file start line of a hunk that follows a hunk joined from several
// edits (the equal lines joining them are not counted). git apply then
// searches for the context and may still apply, but patch(1) and reviewers
// see wrong line numbers. Unified recomputes every header from the hunks'
// own line counts.
package unidiff

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// Unified returns the unified diff, with 3 lines of context, that turns
// before into after, labelled from and to; "" when they are equal.
func Unified(from, to, before, after string) (string, error) {
	d, err := udiff.ToUnified(from, to, before, udiff.Lines(before, after), 3)
	if err != nil {
		return "", err
	}
	return fixHeaders(d)
}

// fixHeaders rewrites each "@@ -a,b +c,d @@" so that c follows from a and
// the lines added and removed by the hunks before it.
func fixHeaders(d string) (string, error) {
	lines := strings.SplitAfter(d, "\n")
	offset := 0 // lines added minus lines removed so far
	for i, l := range lines {
		if !strings.HasPrefix(l, "@@ ") {
			continue
		}
		var oldStart, oldCount, newStart, newCount int
		if _, err := fmt.Sscanf(header(l), "@@ -%d,%d +%d,%d @@", &oldStart, &oldCount, &newStart, &newCount); err != nil {
			return "", fmt.Errorf("unexpected hunk header %q: %w", strings.TrimSpace(l), err)
		}
		newStart = oldStart + offset
		switch {
		case oldCount == 0 && newCount > 0:
			newStart++ // an empty old range names the line before it
		case newCount == 0 && oldCount > 0:
			newStart--
		}
		lines[i] = "@@ -" + strconv.Itoa(oldStart) + "," + strconv.Itoa(oldCount) +
			" +" + strconv.Itoa(newStart) + "," + strconv.Itoa(newCount) + " @@" + strings.TrimPrefix(l, header(l))
		offset += newCount - oldCount
	}
	return strings.Join(lines, ""), nil
}

// header returns the "@@ ... @@" part of a hunk line; go-udiff always
// writes both counts.
func header(l string) string {
	if j := strings.Index(l[2:], "@@"); j >= 0 {
		return l[:j+4]
	}
	return l
}
