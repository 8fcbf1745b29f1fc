// Package suppressed shows an opt-out with a reason.
package suppressed

import "os"

// Legacy keeps an always-false check on purpose until the migration lands.
func Legacy() bool {
	data, _ := os.ReadFile("/etc/legacy")
	var v any = data
	//upshift:ignore bytestring legacy switch, removed with the v2 config loader
	return v == "on"
}
