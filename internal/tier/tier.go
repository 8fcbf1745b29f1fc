// Package tier names the safety tiers of upshift's automatic fixes. It is a
// leaf package so that the edit library, the fix engine and the analyzers'
// metadata can all say what a fix risks without importing one another.
package tier

// Tier says whether an automatic fix keeps behaviour.
type Tier string

// The fix tiers.
const (
	// Safe fixes keep behaviour and are applied by default.
	Safe Tier = "safe"
	// Behavior fixes change output and are applied only on request.
	Behavior Tier = "behavior"
	// None marks checks without an automatic fix.
	None Tier = "none"
)
