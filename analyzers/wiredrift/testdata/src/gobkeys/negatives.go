package gobkeys

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"

	"keyutil"
	"tokencache"
)

// saveState writes gob to a file: order does not matter there.
func saveState(path string, s Session) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return gob.NewEncoder(f).Encode(s)
}

// sendSession writes gob bytes to the network.
func sendSession(conn io.Writer, s Session) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		return err
	}
	_, err := conn.Write(buf.Bytes())
	return err
}

// plainChecksum hashes a map-free key: stable.
func plainChecksum(key tokencache.PlainKey) string {
	s := sha256.New()
	if err := gob.NewEncoder(s).Encode(&key); err != nil {
		panic(err)
	}
	return hex.EncodeToString(s.Sum(nil))
}

// jsonKey hashes encoding/json bytes: v1 sorts map keys.
func jsonKey(s Session) string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Store keeps encoded sessions as values under a stable key.
type Store interface {
	Set(key string, value []byte)
}

func putSession(st Store, s Session) {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	st.Set("session:"+s.UserID, buf.Bytes())
}

// Envelope's payload is an interface: its dynamic type is unknown.
type Envelope struct {
	Kind    string
	Payload any
}

func envelopeKey(e Envelope) string {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(e)
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// Counter keeps its map unexported: gob does not encode it.
type Counter struct {
	Name  string
	cache map[string]int
}

func counterKey(c Counter) string {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(c)
	return buf.String()
}

// SortedAttrs encodes itself in sorted order.
type SortedAttrs struct {
	M map[string]string
}

// GobEncode writes the entries sorted by key.
func (s SortedAttrs) GobEncode() ([]byte, error) {
	keys := make([]string, 0, len(s.M))
	for k := range s.M {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	for _, k := range keys {
		if err := enc.Encode([2]string{k, s.M[k]}); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func sortedKey(s SortedAttrs) string {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// emptyEncoding compares with a constant: an emptiness check.
func emptyEncoding(s Session) bool {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	return buf.String() == "" || len(buf.Bytes()) == 0
}

func plainDigest(k tokencache.PlainKey) string {
	return keyutil.Digest(k)
}

// latest keeps the last encoding in an atomic.Value: a value, not a key.
var latest atomic.Value

func publish(s Session) {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	latest.Store(buf.Bytes())
}

// encodeSession returns gob bytes from a function not named like a key;
// callers write them to disk.
func encodeSession(s Session) []byte {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	return buf.Bytes()
}

func persist(path string, s Session) error {
	return os.WriteFile(path, encodeSession(s), 0o600)
}

// sessionsFact is a fact whose map is encoded deterministically.
type sessionsFact struct {
	Names []string
}

func (*sessionsFact) AFact() {}

// ---- positives through in-package helpers ----

// sessionIndex maps encodings to sessions.
var sessionIndex = map[string]*Session{}

func indexSession(s *Session) {
	sessionIndex[string(encodeSession(*s))] = s // want `gob bytes of Session \(contains map field Attrs, encoded by gobkeys.encodeSession\) used as a map key \(sessionIndex\[...\]\)`
}

var seenSessions sync.Map

func firstTime(s Session) bool {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(s)
	_, loaded := seenSessions.LoadOrStore(buf.String(), true) // want `gob bytes of Session \(contains map field Attrs\) passed as the key argument of seenSessions.LoadOrStore`
	return !loaded
}
