package expswitch

import "golang.org/x/exp/slices"

// Drop removes tag; the standard Delete also zeroes the freed element.
func Drop(tags []string, tag string) []string {
	if i := slices.Index(tags, tag); i >= 0 { // want `slices.Index from golang.org/x/exp/slices is in the standard library`
		tags = slices.Delete(tags, i, i+1) // want `slices.Delete from golang.org/x/exp/slices is in the standard library since go1.21: import "slices" instead \(the standard version also zeroes`
	}
	return tags
}
