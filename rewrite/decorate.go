package rewrite

import (
	"fmt"
	"go/ast"
	"sync"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/analysis"
)

// decorated is a file of a pass decorated once: its source and the
// pristine dst tree that each fix edits a copy of.
type decorated struct {
	src   []byte
	file  *dst.File
	nodes map[ast.Node]dst.Node
}

// decorations caches the decorated files of one package's pass, shared by
// every analyzer that requires Fixes: a file is decorated once per pass,
// however many fixes are built in it. Analyzers of one package run
// concurrently, hence the lock; the pristine trees are only read.
type decorations struct {
	mu    sync.Mutex
	files map[*ast.File]*decorated
}

// decorate returns the decorated form of file, from the pass's cache when
// the analyzer requires Fixes, or freshly made.
func decorate(pass *analysis.Pass, file *ast.File) (*decorated, error) {
	c, _ := pass.ResultOf[Fixes].(*fixesResult)
	if c == nil {
		return decorateFile(pass, file)
	}
	c.decorations.mu.Lock()
	defer c.decorations.mu.Unlock()
	if d, ok := c.decorations.files[file]; ok {
		return d, nil
	}
	d, err := decorateFile(pass, file)
	if err != nil {
		return nil, err
	}
	if c.decorations.files == nil {
		c.decorations.files = make(map[*ast.File]*decorated)
	}
	c.decorations.files[file] = d
	return d, nil
}

func decorateFile(pass *analysis.Pass, file *ast.File) (*decorated, error) {
	name := pass.Fset.File(file.FileStart).Name()
	src, err := pass.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	dec := decorator.NewDecorator(pass.Fset)
	f, err := dec.DecorateFile(file)
	if err != nil {
		return nil, fmt.Errorf("decorating %s: %w", name, err)
	}
	return &decorated{src: src, file: f, nodes: dec.Dst.Nodes}, nil
}

// copy returns a File whose DST is a deep copy of the pristine tree, for
// one fix to edit, with the syntax-to-dst map carried over to the copy.
func (d *decorated) copy(pass *analysis.Pass, file *ast.File) *File {
	clone := dst.Clone(d.file).(*dst.File)
	// Clone keeps the tree's shape, so a walk of both in the same order
	// pairs each node with its copy.
	var orig, copied []dst.Node
	dst.Inspect(d.file, func(n dst.Node) bool {
		if n != nil {
			orig = append(orig, n)
		}
		return true
	})
	dst.Inspect(clone, func(n dst.Node) bool {
		if n != nil {
			copied = append(copied, n)
		}
		return true
	})
	twin := make(map[dst.Node]dst.Node, len(orig))
	for i, n := range orig {
		if i < len(copied) {
			twin[n] = copied[i]
		}
	}
	// File.Imports lists the import specs of the declarations again; Clone
	// copied them apart, so point them back at the copies in the tree.
	for i, spec := range d.file.Imports {
		if c, ok := twin[spec].(*dst.ImportSpec); ok {
			clone.Imports[i] = c
		}
	}
	nodes := make(map[ast.Node]dst.Node, len(d.nodes))
	for a, n := range d.nodes {
		if c, ok := twin[n]; ok {
			nodes[a] = c
		}
	}
	return &File{Pass: pass, AST: file, DST: clone, nodes: nodes}
}
