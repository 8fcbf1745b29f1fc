// Package loader reads key=value settings into maps under keys that come
// from the file itself, as the bundled sample service does.
package loader

import "bytes"

// settings is a loader's map filled under keys read from the file itself.
type settings map[string]any

func loadSettings(data []byte) settings {
	cfg := settings{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		key, value, _ := bytes.Cut(line, []byte("="))
		cfg[string(key)] = bytes.Clone(bytes.TrimSpace(value)) // every value is []byte
	}
	return cfg
}

func streaming(cfg settings) bool {
	return cfg["response_mode"] == "streaming" // want `comparison of cfg\["response_mode"\] \(holds \[\]byte from bytes.Clone\) with string "streaming" is always false`
}

// labels is filled with text under dynamic keys: comparing is meaningful.
type labels map[string]any

func loadLabels(data []byte) labels {
	l := labels{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		key, value, _ := bytes.Cut(line, []byte("="))
		l[string(key)] = string(value)
	}
	return l
}

func isProd(l labels) bool { return l["env"] == "prod" }
