package jsonv2api

import (
	"crypto/sha256"
	"encoding/hex"
	jsonv1std "encoding/json"
	"io"

	"github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

func writeWidget(w io.Writer, wd Widget) error {
	b, err := json.Marshal(wd)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func readSearch(r io.Reader) (*SearchRequest, error) {
	var req SearchRequest
	if err := json.UnmarshalRead(r, &req); err != nil {
		return nil, err
	}
	return &req, nil
}

func writePrice(w io.Writer, m Money) error {
	return json.MarshalWrite(w, m) // want `Money has MarshalJSON on the pointer receiver only and is marshalled by value here: v1 skips the method and writes the default form, json v2 always calls it`
}

func writePricePtr(w io.Writer, m *Money) error {
	return json.MarshalWrite(w, m)
}

func writeStatus(w io.Writer, s Status) error {
	return json.MarshalWrite(w, s)
}

func writeLegacy(l Legacy) ([]byte, error) {
	return json.Marshal(l, jsonv1.DefaultOptionsV1())
}

func writeCounters(c Counters) ([]byte, error) {
	return json.Marshal(c, jsonv1.OmitEmptyWithLegacySemantics(true))
}

func writeV1(v V1Only) ([]byte, error) {
	return jsonv1std.Marshal(v)
}

func encodeWith(v Legacy, opts json.Options) ([]byte, error) {
	return json.Marshal(v, opts)
}

const defaultSettings = `{"Port": 8080, "host": "localhost", "loglevel": "info"}`

func loadDefaults() (Settings, error) {
	var s Settings
	err := json.Unmarshal([]byte(defaultSettings), &s) // want `JSON key "Port" decoded here matches field Settings.Port \(JSON name "port"\) only case-insensitively: v1 fills it, json v2 matches names exactly and leaves it zero` `JSON key "loglevel" decoded here matches field Settings.LogLevel`
	return s, err
}

func loadDefaultsLoose() (Settings, error) {
	var s Settings
	err := json.Unmarshal([]byte(defaultSettings), &s, json.MatchCaseInsensitiveNames(true))
	return s, err
}

func loadExact() (Settings, error) {
	var s Settings
	err := json.Unmarshal([]byte(`{"port": 1, "host": "h", "LogLevel": "debug"}`), &s)
	return s, err
}

// labelsETag hashes v2 output of a map: v2 does not sort map keys.
func labelsETag(labels map[string]string) (string, error) {
	b, err := json.Marshal(labels)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b) // want `json v2 bytes of map\[string\]string \(is a map\) hashed by sha256.Sum256: json v2 writes maps in random order unless Deterministic\(true\) is passed, so equal values hash differently; pass json.Deterministic\(true\)`
	return hex.EncodeToString(sum[:]), nil
}

func labelsETagSorted(labels map[string]string) (string, error) {
	opts := json.JoinOptions(json.Deterministic(true))
	b, err := json.Marshal(labels, opts)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
