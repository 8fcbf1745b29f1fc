package kit

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// Graph answers path questions on the control flow of one function body:
// does every path from here to there pass through one of these points?
// The analyzers that follow a value through a function (a slice sorted
// before it is returned, say) ask it instead of trusting source order, so
// that a sort in one branch no longer counts for the other.
//
// The graph is golang.org/x/tools/go/cfg's, with kit.IsExitCall as the
// calls that never return. Code inside function literals is placed at the
// statement that holds the literal; within one statement, source order
// decides.
type Graph struct {
	info  *types.Info
	cfg   *cfg.CFG
	nodes []placed
}

// placed is a node of a block with its extent.
type placed struct {
	pos, end token.Pos
	block    *cfg.Block
	index    int
}

// Point is a place in a Graph: a node of a block and a position within it.
type Point struct {
	block *cfg.Block
	index int
	pos   token.Pos
}

// NewGraph builds the graph of a function body.
func NewGraph(info *types.Info, body *ast.BlockStmt) *Graph {
	g := &Graph{info: info, cfg: cfg.New(body, func(call *ast.CallExpr) bool { return !IsExitCall(info, call) })}
	for _, b := range g.cfg.Blocks {
		for i, n := range b.Nodes {
			g.nodes = append(g.nodes, placed{pos: n.Pos(), end: n.End(), block: b, index: i})
		}
	}
	return g
}

// PointAt returns the point of the smallest block node that contains pos.
func (g *Graph) PointAt(pos token.Pos) (Point, bool) {
	best := -1
	for i, n := range g.nodes {
		if n.pos <= pos && pos < n.end && (best < 0 || n.end-n.pos < g.nodes[best].end-g.nodes[best].pos) {
			best = i
		}
	}
	if best < 0 {
		return Point{}, false
	}
	n := g.nodes[best]
	return Point{block: n.block, index: n.index, pos: pos}, true
}

// Entry is the point before the first statement of the body.
func (g *Graph) Entry() Point {
	return Point{block: g.cfg.Blocks[0], index: -1}
}

// PointAfter returns the point at pos in front of the first node that
// starts at or after pos (the code that follows a loop ending at pos, say),
// or false when no code follows.
func (g *Graph) PointAfter(pos token.Pos) (Point, bool) {
	best := -1
	for i, n := range g.nodes {
		if n.pos >= pos && (best < 0 || n.pos < g.nodes[best].pos) {
			best = i
		}
	}
	if best < 0 {
		return Point{}, false
	}
	n := g.nodes[best]
	return Point{block: n.block, index: n.index, pos: pos}, true
}

// before orders two points of one block.
func before(a, b Point) bool {
	if a.index != b.index {
		return a.index < b.index
	}
	return a.pos < b.pos
}

// Edge is one branch of an if statement's condition: the way control goes
// when the condition is true, or when it is false.
type Edge struct {
	from *cfg.Block
	succ int
}

// Branch returns the edge an if statement takes when its condition is
// `when`, or false when the graph does not hold the statement.
func (g *Graph) Branch(ifs *ast.IfStmt, when bool) (Edge, bool) {
	for _, b := range g.cfg.Blocks {
		if n := len(b.Nodes); n > 0 && b.Nodes[n-1] == ifs.Cond && len(b.Succs) == 2 {
			if when {
				return Edge{from: b, succ: 0}, true
			}
			return Edge{from: b, succ: 1}, true
		}
	}
	return Edge{}, false
}

// Covered reports whether every path from `from` to `to` passes through
// one of via (points, or edges taken). A point that cannot be reached from
// `from` is covered.
func (g *Graph) Covered(from, to Point, via []Point, edges ...Edge) bool {
	return !g.reaches(from, &to, via, edges)
}

// CoveredToExit reports whether every path from `from` that leaves the
// function normally (a return, or the end of the body; not a panic, an
// os.Exit or a t.Fatal) passes through one of via (points, or edges
// taken).
func (g *Graph) CoveredToExit(from Point, via []Point, edges ...Edge) bool {
	return !g.reaches(from, nil, via, edges)
}

// reaches reports whether some path from `from` reaches `to` (the normal
// exit when to is nil) without passing a point of via or taking one of
// edges.
func (g *Graph) reaches(from Point, to *Point, via []Point, edges []Edge) bool {
	cut := make(map[Edge]bool, len(edges))
	for _, e := range edges {
		cut[e] = true
	}
	succs := func(b *cfg.Block) []*cfg.Block {
		var out []*cfg.Block
		for i, s := range b.Succs {
			if !cut[Edge{from: b, succ: i}] {
				out = append(out, s)
			}
		}
		return out
	}
	kills := make(map[*cfg.Block][]Point)
	for _, v := range via {
		kills[v.block] = append(kills[v.block], v)
	}
	// scan walks b from start on and says whether the path stops at a
	// kill, reaches the target, or goes on to b's successors.
	const (
		goesOn = iota
		stopped
		reached
	)
	scan := func(b *cfg.Block, start Point) int {
		var firstKill *Point
		for i, k := range kills[b] {
			if before(start, k) && (firstKill == nil || before(k, *firstKill)) {
				firstKill = &kills[b][i]
			}
		}
		if to != nil && to.block == b && before(start, *to) {
			if firstKill != nil && before(*firstKill, *to) {
				return stopped
			}
			return reached
		}
		if firstKill != nil {
			return stopped
		}
		if to == nil && g.exits(b) {
			return reached
		}
		return goesOn
	}
	seen := make(map[*cfg.Block]bool)
	var queue []*cfg.Block
	switch scan(from.block, from) {
	case reached:
		return true
	case goesOn:
		queue = append(queue, succs(from.block)...)
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if seen[b] {
			continue
		}
		seen[b] = true
		switch scan(b, Point{block: b, index: -1}) {
		case reached:
			return true
		case goesOn:
			queue = append(queue, succs(b)...)
		}
	}
	return false
}

// exits reports whether control leaves the function normally at the end
// of b: a return, or the end of the body; not a call that never returns.
func (g *Graph) exits(b *cfg.Block) bool {
	if len(b.Succs) > 0 {
		return false
	}
	if b.Return() != nil {
		return true
	}
	if n := len(b.Nodes); n > 0 {
		if es, ok := b.Nodes[n-1].(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && IsExitCall(g.info, call) {
				return false // a call that never returns ends the block
			}
		}
	}
	return true
}
