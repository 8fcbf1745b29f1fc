// Package proto is a stub of google.golang.org/protobuf/proto with the
// signatures the tests need.
package proto

// Message is a protobuf message.
type Message interface{ ProtoReflect() Reflection }

// Reflection stands in for protoreflect.Message.
type Reflection interface{}

// MarshalOptions configures the marshaller.
type MarshalOptions struct {
	AllowPartial  bool
	Deterministic bool
	UseCachedSize bool
}

// Marshal returns the wire-format encoding of m.
func Marshal(m Message) ([]byte, error) { return nil, nil }

// Marshal returns the wire-format encoding of m.
func (o MarshalOptions) Marshal(m Message) ([]byte, error) { return nil, nil }

// MarshalAppend appends the wire-format encoding of m to b.
func (o MarshalOptions) MarshalAppend(b []byte, m Message) ([]byte, error) { return b, nil }

// Equal reports whether two messages are equal.
func Equal(x, y Message) bool { return false }
