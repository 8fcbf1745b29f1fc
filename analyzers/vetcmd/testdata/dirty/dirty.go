package dirty

func hazard() {}

// F calls hazard twice; one call is suppressed with a reason.
func F() {
	hazard()
	//upshift:ignore hazardcheck reviewed: this call is harmless
	hazard()
	//upshift:ignore nosuch whatever
	_ = 1
}
