package gltf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// DefaultMaxTextureSize is the largest texture side Optimize keeps when
// OptimizeOptions.MaxTextureSize is zero: 4096 is what every current phone
// GPU samples, and more only costs download time.
const DefaultMaxTextureSize = 4096

// OptimizeOptions tunes Optimize. The zero value is the canonical setting.
type OptimizeOptions struct {
	// MaxTextureSize is the largest width or height of a PNG or JPEG
	// texture: larger images are scaled down (aspect ratio kept) so that
	// their longer side is MaxTextureSize. 0 means DefaultMaxTextureSize;
	// a negative value leaves every image as it is.
	MaxTextureSize int
	// MaxImagePixels refuses to decode an image to resize it when its
	// header claims more pixels (default 1<<28, 16384²): a small PNG can
	// claim a huge size, and decoding allocates 4 bytes per pixel.
	MaxImagePixels int
}

func (o OptimizeOptions) withDefaults() OptimizeOptions {
	if o.MaxTextureSize == 0 {
		o.MaxTextureSize = DefaultMaxTextureSize
	}
	if o.MaxImagePixels <= 0 {
		o.MaxImagePixels = 1 << 28
	}
	return o
}

// OptimizeCounts sizes a document before or after Optimize. Vertices and
// Triangles count every stored mesh once (Statistics.UniqueVertices and
// UniqueTriangles); Bytes is the size of the document written as a GLB.
type OptimizeCounts struct {
	Nodes       int `json:"nodes"`
	Meshes      int `json:"meshes"`
	Materials   int `json:"materials"`
	Textures    int `json:"textures"`
	Images      int `json:"images"`
	Samplers    int `json:"samplers"`
	Accessors   int `json:"accessors"`
	BufferViews int `json:"bufferViews"`
	Vertices    int `json:"vertices"`
	Triangles   int `json:"triangles"`
	Bytes       int `json:"bytes"`
}

// ObjectCounts counts objects by kind, for what Optimize removed or merged.
type ObjectCounts struct {
	Nodes     int `json:"nodes,omitempty"`
	Meshes    int `json:"meshes,omitempty"`
	Materials int `json:"materials,omitempty"`
	Textures  int `json:"textures,omitempty"`
	Images    int `json:"images,omitempty"`
	Samplers  int `json:"samplers,omitempty"`
	Skins     int `json:"skins,omitempty"`
	Cameras   int `json:"cameras,omitempty"`
	Accessors int `json:"accessors,omitempty"`
}

// ResizedImage records one texture image that Optimize scaled down.
type ResizedImage struct {
	Image       int    `json:"image"` // index in the optimized document
	Name        string `json:"name,omitempty"`
	MimeType    string `json:"mimeType"`
	FromWidth   int    `json:"fromWidth"`
	FromHeight  int    `json:"fromHeight"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	BytesBefore int    `json:"bytesBefore"`
	BytesAfter  int    `json:"bytesAfter"`
}

// OptimizeReport says what Optimize did.
type OptimizeReport struct {
	Before OptimizeCounts `json:"before"`
	After  OptimizeCounts `json:"after"`
	// Removed counts the objects dropped because nothing uses them.
	Removed ObjectCounts `json:"removed"`
	// Merged counts the objects that were exact duplicates of another one
	// (accessors with the same format and bytes, images with the same
	// bytes, samplers and textures with the same properties).
	Merged ObjectCounts `json:"merged"`
	// WeldedVertices counts vertices merged into an identical one (same
	// bits in every attribute and morph target); UnusedVertices those no
	// index referred to.
	WeldedVertices int `json:"weldedVertices"`
	UnusedVertices int `json:"unusedVertices"`
	// DegenerateTriangles counts triangles dropped because two of their
	// indices were the same vertex (after welding).
	DegenerateTriangles int `json:"degenerateTriangles"`
	// DensifiedSparse counts sparse accessors written out in full.
	DensifiedSparse int            `json:"densifiedSparse"`
	ResizedImages   []ResizedImage `json:"resizedImages,omitempty"`
}

// Optimize returns a canonical, smaller copy of doc that renders the same
// and keeps every node, mesh and material name (customization finds parts
// and materials by name). It does not modify doc: the result is a deep copy
// of its JSON with freshly built binary data (one buffer).
//
// What it does:
//   - Removes unused objects. A node is used when a scene reaches it, it
//     has a name, an animation targets it, it is a joint or skeleton of a
//     used skin, or it is an ancestor or descendant of a used node (a named
//     node keeps its whole subtree and its parents). A document without
//     scenes uses all its nodes. A mesh is used when a used node refers to
//     it or it has a name; a material when a primitive of a used mesh
//     refers to it (directly or through a KHR_materials_variants mapping)
//     or it has a name. Skins and cameras are used through used nodes;
//     textures, images, samplers and accessors through used objects.
//     Scenes and animations are always kept. So only unnamed objects are
//     ever removed. extensionsUsed is kept as it is.
//   - Merges exact duplicates: accessors (same format, count and bytes),
//     images (same bytes and type), samplers and textures (same
//     properties); the first one's name is kept.
//   - Welds vertices: within a primitive, two vertices become one only when
//     every attribute and morph target holds the same bits for both. Index
//     buffers are rebuilt (vertices in first-use order, UNSIGNED_SHORT when
//     they fit), vertices no index uses are dropped, and in TRIANGLES mode
//     triangles with two identical indices are dropped (unless that would
//     leave the primitive empty), as is an incomplete trailing triangle.
//     Attribute formats are kept as they are, so KHR_mesh_quantization and
//     normalized integer data survive; sparse accessors are written dense.
//   - Scales PNG and JPEG images larger than MaxTextureSize down with a
//     Catmull-Rom filter (alpha-correct), re-encoded in the same format
//     (PNG keeps its alpha channel; JPEG at quality 90).
//
// doc must be valid (as the readers return it): Optimize validates it and
// returns a *ValidationError otherwise, an *UnsupportedExtensionError when
// it requires an extension that is not decoded, and an error when it uses
// an extension whose references the optimizer cannot renumber. The result
// is validated too.
func Optimize(doc *Document, opts OptimizeOptions) (*Document, OptimizeReport, error) {
	opts = opts.withDefaults()
	var rep OptimizeReport
	if err := checkRequired(doc); err != nil {
		return nil, rep, err
	}
	if err := checkOptimizable(doc); err != nil {
		return nil, rep, err
	}
	if r := Validate(doc); r.HasErrors() {
		return nil, rep, &ValidationError{Report: r}
	}
	rep.Before = countDocument(doc)

	work, err := cloneDocument(doc)
	if err != nil {
		return nil, rep, fmt.Errorf("optimize: %w", err)
	}
	p := &optimizer{src: doc, doc: work, opts: opts, rep: &rep}
	if err := p.run(); err != nil {
		return nil, rep, fmt.Errorf("optimize: %w", err)
	}
	out := p.doc
	if r := Validate(out); r.HasErrors() {
		// A bug here, not bad input: say so rather than hand out a broken file.
		return nil, rep, fmt.Errorf("optimize: the optimized document is invalid (please report this): %w", &ValidationError{Report: r})
	}
	rep.After = countDocument(out)
	return out, rep, nil
}

// optimizer holds the state of one Optimize call: the input (read only)
// and the working copy that becomes the result.
type optimizer struct {
	src  *Document
	doc  *Document
	opts OptimizeOptions
	rep  *OptimizeReport
	bin  *binBuilder
	// imageSrc[i] is the index in src of image i of the working copy.
	imageSrc []int
}

func (p *optimizer) run() error {
	used, err := p.findUsed()
	if err != nil {
		return err
	}
	p.prune(used)
	p.rep.Removed.Accessors = p.countUnusedAccessors()
	p.bin = newBinBuilder(p.doc)
	if err := p.rebuildMeshes(); err != nil {
		return err
	}
	if err := p.rebuildOtherAccessors(); err != nil {
		return err
	}
	p.rep.Merged.Accessors = p.bin.merged
	p.mergeSamplers()
	if err := p.rebuildImages(); err != nil {
		return err
	}
	p.mergeTextures()
	p.bin.finish(p.doc)
	return nil
}

// optimizableExtensions are the extensions whose references to other
// objects Optimize knows how to renumber (or that hold none it renumbers).
var optimizableExtensions = []string{
	ExtMaterialsVariants, ExtTextureTransform, ExtMaterialsEmissiveStrength, ExtMeshQuantization, ExtMaterialsUnlit,
	// Material extensions: their texture references ("…Texture": {"index"})
	// are renumbered generically.
	"KHR_materials_clearcoat", "KHR_materials_sheen", "KHR_materials_transmission", "KHR_materials_volume",
	"KHR_materials_ior", "KHR_materials_specular", "KHR_materials_iridescence", "KHR_materials_anisotropy",
	"KHR_materials_dispersion", "KHR_materials_diffuse_transmission", "KHR_materials_pbrSpecularGlossiness",
	// Texture sources in other formats ({"source": image}).
	"KHR_texture_basisu", "EXT_texture_webp", "EXT_texture_avif",
	// Indices into arrays of the root extension object, which stays as is.
	"KHR_lights_punctual", "KHR_xmp_json_ld",
}

// ErrNotOptimizable is wrapped by Optimize's error for a valid document it
// cannot optimize (it uses an extension whose references it cannot
// renumber): callers can keep the document as it is.
var ErrNotOptimizable = errors.New("optimize: not optimizable")

// checkOptimizable refuses extensions that may refer to objects by an index
// that Optimize would change without knowing it.
func checkOptimizable(doc *Document) error {
	var unknown []string
	for _, e := range doc.ExtensionsUsed {
		if !slices.Contains(optimizableExtensions, e) {
			unknown = append(unknown, e)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%w: the document uses %v, which the optimizer does not support (they may refer to objects it renumbers)", ErrNotOptimizable, unknown)
	}
	return nil
}

// cloneDocument deep-copies the JSON part of doc through encoding/json
// (exact for every value, float64s included) and shares the binary data,
// which Optimize only reads.
func cloneDocument(doc *Document) (*Document, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out := new(Document)
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, err
	}
	if len(out.Buffers) != len(doc.Buffers) || len(out.Images) != len(doc.Images) {
		return nil, errors.New("copy of the document lost objects")
	}
	for i := range doc.Buffers {
		out.Buffers[i].Data = doc.Buffers[i].Data
	}
	for i := range doc.Images {
		out.Images[i].Data = doc.Images[i].Data
	}
	return out, nil
}

// countDocument measures doc for the report.
func countDocument(doc *Document) OptimizeCounts {
	c := OptimizeCounts{
		Nodes: len(doc.Nodes), Meshes: len(doc.Meshes), Materials: len(doc.Materials), Textures: len(doc.Textures),
		Images: len(doc.Images), Samplers: len(doc.Samplers), Accessors: len(doc.Accessors), BufferViews: len(doc.BufferViews),
	}
	for mi := range doc.Meshes {
		for pi := range doc.Meshes[mi].Primitives {
			tri, _, _, verts := primitiveCounts(doc, &doc.Meshes[mi].Primitives[pi])
			c.Triangles += tri
			c.Vertices += verts
		}
	}
	var w countWriter
	if WriteGLB(&w, doc) == nil {
		c.Bytes = int(w)
	}
	return c
}

// countWriter counts the bytes written to it.
type countWriter int

func (w *countWriter) Write(b []byte) (int, error) {
	*w += countWriter(len(b))
	return len(b), nil
}

var _ io.Writer = (*countWriter)(nil)
