package protokeys

import "google.golang.org/protobuf/proto"

// ObservationRequest is shaped like protoc-gen-go output.
type ObservationRequest struct {
	state         struct{}
	sizeCache     int32
	Variable      string
	Entities      []string
	Filters       map[string]string
	unknownFields []byte
}

func (*ObservationRequest) ProtoReflect() proto.Reflection { return nil }

// Filter is a nested message with a map.
type Filter struct {
	Dims map[string]string
}

func (*Filter) ProtoReflect() proto.Reflection { return nil }

// Query holds its map one message down.
type Query struct {
	Name   string
	Filter *Filter
}

func (*Query) ProtoReflect() proto.Reflection { return nil }

// PlaceRequest has no map fields.
type PlaceRequest struct {
	state    struct{}
	Dcids    []string
	Property string
}

func (*PlaceRequest) ProtoReflect() proto.Reflection { return nil }

// Event has a oneof whose cases are behind an interface.
type Event struct {
	Id      string
	Payload isEvent_Payload
}

type isEvent_Payload interface{ isEvent_Payload() }

// Event_Tags is a oneof case with a map.
type Event_Tags struct {
	Tags map[string]string
}

func (*Event_Tags) isEvent_Payload() {}

func (*Event) ProtoReflect() proto.Reflection { return nil }

// LegacyRequest is a github.com/golang/protobuf message.
type LegacyRequest struct {
	Params map[string]string
}

func (*LegacyRequest) Reset()         {}
func (*LegacyRequest) String() string { return "" }
func (*LegacyRequest) ProtoMessage()  {}
