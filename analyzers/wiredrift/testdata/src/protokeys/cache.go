// Package protokeys caches protobuf responses in Redis keyed by the request.
package protokeys

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	legacy "github.com/golang/protobuf/proto"
	"google.golang.org/protobuf/proto"
)

// Redis is the subset of the client the cache uses.
type Redis interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, value []byte) error
}

func observationKey(req *ObservationRequest) (string, error) {
	b, err := proto.Marshal(req)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("obs/%x", sha256.Sum256(b)), nil // want `protobuf bytes of ObservationRequest \(contains map field Filters\) hashed by sha256.Sum256: proto.Marshal writes map fields in random order unless Deterministic is set, so equal values hash differently; marshal with proto.MarshalOptions\{Deterministic: true\}`
}

func cachedObservation(ctx context.Context, r Redis, req *ObservationRequest) ([]byte, error) {
	b, err := proto.MarshalOptions{}.Marshal(req)
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, string(b)) // want `protobuf bytes of ObservationRequest \(contains map field Filters\) passed as the key argument of r.Get`
}

func unchanged(prev []byte, req *ObservationRequest) bool {
	b, _ := proto.MarshalOptions{AllowPartial: true}.Marshal(req)
	return bytes.Equal(prev, b) // want `protobuf bytes of ObservationRequest \(contains map field Filters\) compared by bytes.Equal`
}

// redisKey is the mixer helper (datacommonsorg/mixer PR #2094): the message
// type is only known at its callers.
func redisKey(prefix string, req proto.Message) (string, error) {
	data, err := proto.Marshal(req)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	return prefix + hex.EncodeToString(h[:]), nil
}

func cachedQuery(ctx context.Context, r Redis, q *Query) ([]byte, error) {
	key, err := redisKey("query", q) // want `protobuf bytes of Query \(contains map field Filter.Dims, encoded by protokeys.redisKey\) hashed by sha256.Sum256 in protokeys.redisKey`
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, key)
}

func legacyIndex(idx map[string]int, req *LegacyRequest) int {
	b, _ := legacy.Marshal(req)
	return idx[string(b)] // want `protobuf bytes of LegacyRequest \(contains map field Params\) used as a map key`
}

func sameQuery(a, b *Query) bool {
	opts := proto.MarshalOptions{AllowPartial: true}
	ba, _ := opts.Marshal(a)
	bb, _ := opts.Marshal(b)
	return string(ba) == string(bb) // want `protobuf bytes of Query \(contains map field Filter.Dims\) compared with ==`
}

// ---- negatives ----

func deterministicKey(req *ObservationRequest) string {
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func deterministicVar(ctx context.Context, r Redis, req *ObservationRequest) ([]byte, error) {
	opts := proto.MarshalOptions{Deterministic: true, AllowPartial: true}
	b, err := opts.Marshal(req)
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, string(b))
}

func deterministicLater(req *ObservationRequest) string {
	var opts proto.MarshalOptions
	opts.Deterministic = true
	b, _ := opts.Marshal(req)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func placeKey(req *PlaceRequest) string {
	b, _ := proto.Marshal(req)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func cachedPlace(ctx context.Context, r Redis, req *PlaceRequest) ([]byte, error) {
	key, err := redisKey("place", req)
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, key)
}

func send(w io.Writer, req *ObservationRequest) error {
	b, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Client marshals with options configured elsewhere.
type Client struct {
	opts proto.MarshalOptions
	r    Redis
}

func (c *Client) lookup(ctx context.Context, req *ObservationRequest) ([]byte, error) {
	b, err := c.opts.Marshal(req)
	if err != nil {
		return nil, err
	}
	return c.r.Get(ctx, string(b))
}

func eventKey(e *Event) string {
	b, _ := proto.Marshal(e)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func storeResponse(ctx context.Context, r Redis, req *PlaceRequest, resp *ObservationRequest) error {
	b, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	return r.Put(ctx, "place/"+req.Property, b)
}

// pkgOpts is configured once for the package, without Deterministic.
var pkgOpts = proto.MarshalOptions{AllowPartial: true}

func pkgOptsKey(req *ObservationRequest) string {
	b, _ := pkgOpts.Marshal(req)
	sum := sha256.Sum256(b) // want `protobuf bytes of ObservationRequest \(contains map field Filters\) hashed by sha256.Sum256`
	return hex.EncodeToString(sum[:])
}

// detOpts is deterministic.
var detOpts = proto.MarshalOptions{Deterministic: true}

func detOptsKey(req *ObservationRequest) string {
	b, _ := detOpts.Marshal(req)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
