package bytestext

// streaming compares a []byte held in an any with text: bytestring's fix
// changes behaviour.
func streaming(cfg map[string]any) bool {
	cfg["mode"] = []byte("on")
	return cfg["mode"] == "on" // want `comparison of cfg\["mode"\] \(holds \[\]byte`
}
