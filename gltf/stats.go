package gltf

import (
	"bytes"
	"image"
)

// Statistics summarises a document for people and for the API: what a
// brand uploading a model wants to know before it goes live.
type Statistics struct {
	// Triangles, Lines, Points and Vertices count what the default scene
	// draws: a mesh used by two nodes counts twice.
	Triangles int `json:"triangles"`
	Lines     int `json:"lines"`
	Points    int `json:"points"`
	Vertices  int `json:"vertices"`
	DrawCalls int `json:"drawCalls"`
	// UniqueTriangles and UniqueVertices count every mesh once, whether or
	// not a scene uses it (the glTF-Validator's totalTriangleCount).
	UniqueTriangles int `json:"uniqueTriangles"`
	UniqueVertices  int `json:"uniqueVertices"`

	Nodes      int `json:"nodes"`
	Meshes     int `json:"meshes"`
	Primitives int `json:"primitives"`
	Animations int `json:"animations"`
	Skins      int `json:"skins"`
	// UVSets is the largest number of TEXCOORD sets on one primitive.
	UVSets int `json:"uvSets"`

	Materials    []MaterialStat `json:"materials"`
	Textures     []TextureStat  `json:"textures"`
	TextureBytes int            `json:"textureBytes"`
	Variants     []string       `json:"variants,omitempty"`

	// Bounds is the axis-aligned box of the default scene in scene space
	// (node transforms applied); nil when nothing is drawn.
	Bounds *Box `json:"bounds,omitempty"`
	// Dimensions is the size of Bounds in metres (glTF's unit).
	Dimensions [3]float64 `json:"dimensionsMeters"`

	ExtensionsUsed     []string `json:"extensionsUsed,omitempty"`
	ExtensionsRequired []string `json:"extensionsRequired,omitempty"`
}

// MaterialStat describes one material.
type MaterialStat struct {
	Index       int    `json:"index"`
	Name        string `json:"name"`
	AlphaMode   string `json:"alphaMode"`
	DoubleSided bool   `json:"doubleSided"`
	Unlit       bool   `json:"unlit,omitempty"`
}

// TextureStat describes one texture and its image.
type TextureStat struct {
	Index    int    `json:"index"`
	Name     string `json:"name,omitempty"`
	Image    int    `json:"image"` // -1 when the texture has no core source
	MimeType string `json:"mimeType,omitempty"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Bytes    int    `json:"bytes"`
}

// Box is an axis-aligned bounding box.
type Box struct {
	Min [3]float64 `json:"min"`
	Max [3]float64 `json:"max"`
}

// Stats computes the statistics of doc. It tolerates invalid documents
// (bad indices, cycles) by skipping what it cannot resolve.
func Stats(doc *Document) Statistics {
	s := Statistics{
		Nodes: len(doc.Nodes), Meshes: len(doc.Meshes), Animations: len(doc.Animations), Skins: len(doc.Skins),
		ExtensionsUsed: doc.ExtensionsUsed, ExtensionsRequired: doc.ExtensionsRequired,
		Materials: []MaterialStat{}, Textures: []TextureStat{},
	}
	for mi := range doc.Meshes {
		for pi := range doc.Meshes[mi].Primitives {
			pr := &doc.Meshes[mi].Primitives[pi]
			s.Primitives++
			tri, _, _, verts := primitiveCounts(doc, pr)
			s.UniqueTriangles += tri
			s.UniqueVertices += verts
			uv := 0
			for name := range pr.Attributes {
				if base, _ := semanticBase(name); base == "TEXCOORD" {
					uv++
				}
			}
			s.UVSets = max(s.UVSets, uv)
		}
	}
	for i := range doc.Materials {
		m := &doc.Materials[i]
		s.Materials = append(s.Materials, MaterialStat{Index: i, Name: m.Name, AlphaMode: m.AlphaModeOrDefault(), DoubleSided: m.DoubleSided, Unlit: m.IsUnlit()})
	}
	s.Textures, s.TextureBytes = textureStats(doc)
	if vs, err := doc.Variants(); err == nil {
		for _, v := range vs {
			s.Variants = append(s.Variants, v.Name)
		}
	}
	sceneStats(doc, &s)
	return s
}

// primitiveCounts returns the triangles, lines and points a primitive
// draws and its vertex count, respecting its mode.
func primitiveCounts(doc *Document, pr *Primitive) (tri, lines, points, verts int) {
	verts = -1
	if a, ok := pr.Attributes["POSITION"]; ok && a >= 0 && a < len(doc.Accessors) {
		verts = doc.Accessors[a].Count
	}
	if verts < 0 {
		verts = 0
	}
	n := verts
	if pr.Indices != nil && *pr.Indices >= 0 && *pr.Indices < len(doc.Accessors) {
		n = doc.Accessors[*pr.Indices].Count
	}
	switch pr.ModeOrDefault() {
	case ModeTriangles:
		tri = n / 3
	case ModeTriangleStrip, ModeTriangleFan:
		tri = max(n-2, 0)
	case ModeLines:
		lines = n / 2
	case ModeLineStrip:
		lines = max(n-1, 0)
	case ModeLineLoop:
		if n >= 2 {
			lines = n
		}
	case ModePoints:
		points = n
	}
	return tri, lines, points, verts
}

// textureStats reads the size of each texture's image from its header.
func textureStats(doc *Document) ([]TextureStat, int) {
	out := []TextureStat{}
	total := 0
	counted := map[int]bool{}
	for i, t := range doc.Textures {
		ts := TextureStat{Index: i, Name: t.Name, Image: -1}
		if t.Source != nil && *t.Source >= 0 && *t.Source < len(doc.Images) {
			ts.Image = *t.Source
			if data, err := doc.ImageData(ts.Image); err == nil {
				ts.Bytes = len(data)
				ts.MimeType = doc.Images[ts.Image].MimeType
				if ts.MimeType == "" {
					ts.MimeType = ImageMIME(data)
				}
				if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
					ts.Width, ts.Height = cfg.Width, cfg.Height
				}
				if !counted[ts.Image] {
					counted[ts.Image] = true
					total += len(data)
				}
			}
		}
		out = append(out, ts)
	}
	return out, total
}

// sceneStats walks the default scene (or, without scenes, every root node)
// and fills the instanced counts and the bounding box.
func sceneStats(doc *Document, s *Statistics) {
	roots := doc.SceneRoots()
	b := newBounder(doc)
	visited := make([]bool, len(doc.Nodes))
	type item struct {
		node  int
		world Mat4
	}
	var stack []item
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, item{roots[i], Identity})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.node < 0 || it.node >= len(doc.Nodes) || visited[it.node] {
			continue // invalid index, or a cycle / shared child in an invalid file
		}
		visited[it.node] = true
		n := &doc.Nodes[it.node]
		world := it.world.Mul(n.LocalMatrix())
		if n.Mesh != nil && *n.Mesh >= 0 && *n.Mesh < len(doc.Meshes) {
			for pi := range doc.Meshes[*n.Mesh].Primitives {
				pr := &doc.Meshes[*n.Mesh].Primitives[pi]
				tri, lines, points, verts := primitiveCounts(doc, pr)
				s.Triangles += tri
				s.Lines += lines
				s.Points += points
				s.Vertices += verts
				s.DrawCalls++
				b.add(pr, world)
			}
		}
		for i := len(n.Children) - 1; i >= 0; i-- {
			stack = append(stack, item{n.Children[i], world})
		}
	}
	if b.ok {
		s.Bounds = &Box{Min: b.min, Max: b.max}
		for k := 0; k < 3; k++ {
			s.Dimensions[k] = b.max[k] - b.min[k]
		}
	}
}
