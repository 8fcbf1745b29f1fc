package scanner

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Email handles both representations.
type Email string

// Scan is correct.
func (e *Email) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*e = Email(v)
	case []byte:
		*e = Email(v)
	case nil:
		*e = ""
	default:
		return fmt.Errorf("email: unsupported %T", src)
	}
	return nil
}

// Label converts whatever arrives in its default clause.
type Label string

// Scan formats the default case.
func (l *Label) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*l = Label(v)
	default:
		*l = Label(fmt.Sprint(v))
	}
	return nil
}

// Wrapped delegates to database/sql's own conversions.
type Wrapped struct{ inner sql.NullString }

// Scan delegates.
func (w *Wrapped) Scan(src any) error {
	if s, ok := src.(string); ok && s == "" {
		return nil
	}
	return w.inner.Scan(src)
}

// Doc asserts both types one after the other.
type Doc struct{ fields map[string]any }

// Scan handles both with comma-ok assertions.
func (d *Doc) Scan(src any) error {
	if s, ok := src.(string); ok {
		return json.Unmarshal([]byte(s), &d.fields)
	}
	if b, ok := src.([]byte); ok {
		return json.Unmarshal(b, &d.fields)
	}
	return fmt.Errorf("doc: unsupported %T", src)
}

// Stamp only deals with time values: no text involved.
type Stamp struct{ t time.Time }

// Scan handles time.Time.
func (s *Stamp) Scan(src any) error {
	t, ok := src.(time.Time)
	if !ok {
		return fmt.Errorf("stamp: %T", src)
	}
	s.t = t
	return nil
}

// lexer has a Scan method that is not a decode hook.
type lexer struct{ pos int }

// Scan advances the lexer.
func (l *lexer) Scan() bool { l.pos++; return l.pos < 10 }

// Token has Scan with a typed parameter.
type Token string

// Scan takes a string: not a driver hook.
func (t *Token) Scan(s string) error { *t = Token(s); return nil }

// Code lists both types in one case.
type Code string

// Scan is correct.
func (c *Code) Scan(src any) error {
	switch v := src.(type) {
	case string, []byte:
		*c = Code(fmt.Sprintf("%s", v))
	}
	return nil
}
