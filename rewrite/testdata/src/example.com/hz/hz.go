package hz

// Shout is the call the test rewrite replaces.
func Shout(s string) string { return s + "!" }
