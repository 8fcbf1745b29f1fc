package svc

// streaming compares a []byte held in an any with text: bytestring's fix
// is behavior tier.
func streaming(cfg map[string]any) bool {
	cfg["mode"] = []byte("on")
	return cfg["mode"] == "on" // want bytestring
}
