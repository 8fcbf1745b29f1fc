// Package proto is a stub of the legacy github.com/golang/protobuf/proto.
package proto

// Message is a legacy protobuf message.
type Message interface {
	Reset()
	String() string
	ProtoMessage()
}

// Marshal returns the wire-format encoding of pb.
func Marshal(pb Message) ([]byte, error) { return nil, nil }
