package raster

import (
	"fmt"
	"runtime"

	"github.com/luneo/luneo/gltf"
)

// Model is a document prepared for drawing: world-space geometry, decoded
// textures and materials. It is never modified after Load, so any number
// of goroutines may Render it at once.
type Model struct {
	draws     []drawable
	mats      []material // glTF material i at i; the default material last
	bounds    bounds
	tables    *srgbTables
	maxTex    int
	triangles int
}

// Triangles returns the number of triangles the model draws.
func (m *Model) Triangles() int { return m.triangles }

// maxDepth bounds the node hierarchy walked: deeper trees are hostile
// (validation already refuses cycles).
const maxDepth = 256

// Load prepares a document once: geometry in world space, decoded textures
// with mipmaps. The default scene is drawn (the first scene when none is
// marked default; every root node when there are no scenes).
func Load(doc *gltf.Document, opt LoadOptions) (*Model, error) {
	if doc == nil {
		return nil, fmt.Errorf("render: no document")
	}
	opt = opt.withDefaults()
	m := &Model{tables: newSRGBTables(), maxTex: opt.MaxTextureSize}
	cache := &textureCache{doc: doc, maxTex: opt.MaxTextureSize, tables: m.tables, mips: map[[2]int]*mipmap{}}
	if err := m.countTriangles(doc, opt.MaxTriangles); err != nil {
		return nil, err
	}
	if err := cache.prepare(runtime.GOMAXPROCS(0)); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	for i := range doc.Materials {
		mat, err := newMaterial(&doc.Materials[i], cache)
		if err != nil {
			return nil, fmt.Errorf("render: material %d: %w", i, err)
		}
		m.mats = append(m.mats, mat)
	}
	m.mats = append(m.mats, defaultMaterial())
	l := loader{doc: doc, m: m, visited: make([]bool, len(doc.Nodes))}
	for _, n := range doc.SceneRoots() {
		if err := l.node(n, gltf.Identity, 0); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
	}
	return m, nil
}

// countTriangles refuses a model over the limit from accessor counts,
// before any vertex is read (a node may instance a mesh many times, so
// the scene is walked).
func (m *Model) countTriangles(doc *gltf.Document, limit int) error {
	total := 0
	visited := make([]bool, len(doc.Nodes))
	var walk func(n, depth int) error
	walk = func(n, depth int) error {
		if n < 0 || n >= len(doc.Nodes) || visited[n] || depth > maxDepth {
			return nil
		}
		visited[n] = true
		defer func() { visited[n] = false }()
		node := &doc.Nodes[n]
		if node.Mesh != nil && *node.Mesh >= 0 && *node.Mesh < len(doc.Meshes) {
			for _, p := range doc.Meshes[*node.Mesh].Primitives {
				total += primitiveTriangles(doc, &p)
				if total > limit {
					return fmt.Errorf("render: the model has more than %d triangles: %w", limit, ErrLimit)
				}
			}
		}
		for _, c := range node.Children {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range doc.SceneRoots() {
		if err := walk(n, 0); err != nil {
			return err
		}
	}
	return nil
}

// primitiveTriangles is the triangle count a primitive claims.
func primitiveTriangles(doc *gltf.Document, p *gltf.Primitive) int {
	n := -1
	if p.Indices != nil && *p.Indices >= 0 && *p.Indices < len(doc.Accessors) {
		n = doc.Accessors[*p.Indices].Count
	} else if i, ok := p.Attributes["POSITION"]; ok && i >= 0 && i < len(doc.Accessors) {
		n = doc.Accessors[i].Count
	}
	switch p.ModeOrDefault() {
	case gltf.ModeTriangles:
		return max(n, 0) / 3
	case gltf.ModeTriangleStrip, gltf.ModeTriangleFan:
		return max(n-2, 0)
	}
	return 0
}

// loader walks the node tree, adding a drawable per primitive instance.
type loader struct {
	doc     *gltf.Document
	m       *Model
	visited []bool // nodes on the current path: a cycle is walked once
}

func (l *loader) node(n int, parent gltf.Mat4, depth int) error {
	d := l.doc
	if n < 0 || n >= len(d.Nodes) || l.visited[n] || depth > maxDepth {
		return nil
	}
	l.visited[n] = true
	defer func() { l.visited[n] = false }()
	node := &d.Nodes[n]
	world := parent.Mul(node.LocalMatrix())
	if node.Mesh != nil && *node.Mesh >= 0 && *node.Mesh < len(d.Meshes) {
		mesh := &d.Meshes[*node.Mesh]
		weights := mesh.Weights
		if len(node.Weights) > 0 {
			weights = node.Weights
		}
		for pi := range mesh.Primitives {
			if err := l.primitive(&mesh.Primitives[pi], world, weights); err != nil {
				return fmt.Errorf("mesh %d primitive %d: %w", *node.Mesh, pi, err)
			}
		}
	}
	for _, c := range node.Children {
		if err := l.node(c, world, depth+1); err != nil {
			return err
		}
	}
	return nil
}
