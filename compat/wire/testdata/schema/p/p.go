// Package p exercises encoding/json's field rules.
package p

import (
	"encoding/gob"
	"time"
)

// Base is embedded.
type Base struct {
	ID   int    `json:"id"`
	Kind string // conflicts with Other.Kind at the same depth: both vanish
}

// Other is embedded too.
type Other struct {
	Kind string
	Name string `json:"name"`
}

// inner is unexported but its exported fields are promoted.
type inner struct {
	Deep string
}

// Doc is serialized.
//
//upshift:wire json
type Doc struct {
	Base
	*Other
	inner
	Name    string    `json:"title"` // shallower than Other.Name: wins over "name"? no, other key
	Secret  string    `json:"-"`
	Dash    string    `json:"-,"`
	Count   int       `json:"count,string,omitempty"`
	List    []byte    `json:",string"`
	At      time.Time `json:"at"`
	private int
	Ch      chan int
}

// V is registered by value, P by pointer.
type V struct{ A int }

// P is registered by pointer.
type P struct{ B int }

func init() {
	gob.Register(V{})
	gob.Register(&P{})
	gob.RegisterName("custom.name", &Doc{})
}
