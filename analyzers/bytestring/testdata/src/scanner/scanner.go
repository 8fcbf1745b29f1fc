// Package scanner holds database column types with sql.Scanner hooks.
package scanner

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is an enum stored as text.
type Status string

// Scan accepts only string: MySQL hands text over as []byte.
func (s *Status) Scan(src any) error {
	v, ok := src.(string) // want `Status.Scan accepts string but not \[\]byte: database drivers`
	if !ok {
		return fmt.Errorf("status: unsupported type %T", src)
	}
	*s = Status(v)
	return nil
}

// Tags is a comma-separated column.
type Tags []string

// Scan switches over the types but forgot []byte.
func (t *Tags) Scan(value interface{}) error {
	switch v := value.(type) {
	case nil:
		*t = nil
	case string: // want `Tags.Scan accepts string but not \[\]byte`
		*t = strings.Split(v, ",")
	default:
		return errors.New("tags: unsupported type")
	}
	return nil
}

// Duration is stored as "1h30m" text or as nanoseconds.
type Duration time.Duration

// Scan handles int64 and string only.
func (d *Duration) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*d = Duration(v)
	case string: // want `Duration.Scan accepts string but not \[\]byte`
		p, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		*d = Duration(p)
	default:
		return fmt.Errorf("duration: cannot scan %T into Duration", v)
	}
	return nil
}

// Meta is a JSON column; after a driver upgrade it arrives as string.
type Meta map[string]string

// Scan accepts only []byte.
func (m *Meta) Scan(src any) error {
	b, ok := src.([]byte) // want `Meta.Scan accepts \[\]byte but not string: drivers that hand text over as string`
	if !ok {
		return errors.New("meta: type assertion to []byte failed")
	}
	return json.Unmarshal(b, m)
}

// Host panics on anything but string.
type Host struct{ Name string }

// Scan asserts without the comma-ok form.
func (h *Host) Scan(src any) error {
	h.Name = src.(string) // want `Host.Scan accepts string but not \[\]byte`
	return nil
}

// Blob is a JSON document column tested in an if statement.
type Blob struct{ Doc map[string]any }

// Scan takes []byte in an if statement's assertion.
func (b *Blob) Scan(src any) error {
	if src == nil {
		return nil
	}
	if raw, ok := src.([]byte); ok { // want `Blob.Scan accepts \[\]byte but not string`
		return json.Unmarshal(raw, &b.Doc)
	}
	return errors.New("blob: unsupported")
}

// Note is free text; its receiver is named s, so the guard needs another
// name for the string.
type Note string

// Scan asserts []byte with the comma-ok form.
func (s *Note) Scan(src any) error {
	// Drivers hand text columns over as bytes.
	b, ok := src.([]byte) // want `Note.Scan accepts \[\]byte but not string`
	if !ok {
		return errors.New("note: not bytes")
	}
	*s = Note(b)
	return nil
}

// Caption delegates anything else to a converter: it handles every type.
type Caption string

// Scan takes string itself and leaves the rest to fmt.
func (l *Caption) Scan(src any) error {
	if s, ok := src.(string); ok {
		*l = Caption(s)
		return nil
	}
	*l = Caption(fmt.Sprint(src))
	return nil
}
