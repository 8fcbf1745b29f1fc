// This file holds the summary of a function exported as a fact: which
// parameters reach which sinks, and which reach the results.

package wiredrift

import (
	"fmt"
	"go/token"
)

// summaryFact records how a function's parameters and results carry
// unstable bytes, so that callers in this and other packages can be checked
// with their concrete argument types. It holds no maps: facts are
// gob-encoded and must be deterministic.
type summaryFact struct {
	Sinks   []paramSink
	Returns []resultFlow
}

// AFact marks summaryFact as an analysis fact.
func (*summaryFact) AFact() {}

func (s *summaryFact) String() string {
	return fmt.Sprintf("wiredrift summary: %d sinks, %d returns", len(s.Sinks), len(s.Returns))
}

func (s *summaryFact) empty() bool { return len(s.Sinks) == 0 && len(s.Returns) == 0 }

// paramSink says that parameter Param, encoded with Enc (or taken as bytes
// when Enc is encNone), reaches a sink inside the function.
type paramSink struct {
	Param int
	Enc   encoder
	Kind  sinkKind
	Desc  string
	Pos   token.Pos // zero once exported: positions do not cross packages
}

// resultFlow says that result Result carries unstable bytes: of a concrete
// type (Param < 0), of parameter Param encoded with Enc, or parameter Param
// itself when Enc is encNone.
type resultFlow struct {
	Result   int
	Param    int
	Enc      encoder
	TypeName string
	MapPath  string
	Pos      token.Pos
}

func (s *summaryFact) addSink(ps paramSink) bool {
	for _, old := range s.Sinks {
		if old.Param == ps.Param && old.Enc == ps.Enc {
			return false
		}
	}
	s.Sinks = append(s.Sinks, ps)
	return true
}

func (s *summaryFact) addReturn(rf resultFlow) bool {
	for _, old := range s.Returns {
		if old.Result == rf.Result && old.Param == rf.Param && old.Enc == rf.Enc {
			return false
		}
	}
	s.Returns = append(s.Returns, rf)
	return true
}
