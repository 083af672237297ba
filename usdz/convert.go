package usdz

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"

	"github.com/luneo/luneo/gltf"
)

// Version identifies the converter's output: it changes whenever the same
// glTF would convert to different bytes, so callers can key cached USDZ
// files on (model hash, Version).
const Version = "1.2.0"

// Defaults of Options.
const (
	// DefaultMaxTextureSize is AR Quick Look's guidance: textures of at
	// most 2048×2048 pixels.
	DefaultMaxTextureSize = 2048
	// DefaultMaxImagePixels bounds the images decoded for resizing or
	// channel splitting (64 Mpx, a 256 MiB bitmap).
	DefaultMaxImagePixels = 1 << 26
	// DefaultTriangleBudget is Apple's guidance for a model shown in AR
	// Quick Look: at most about 100,000 triangles.
	DefaultTriangleBudget = 100_000
	// DefaultMemoryBudget is the image memory one conversion may hold at
	// once, the same figure as the upload check's decoded-image budget.
	DefaultMemoryBudget = gltf.DefaultTextureMemory
)

// Options tune a conversion. The zero value gives AR Quick Look's guidance.
type Options struct {
	// MaxTextureSize is the longest side of a texture in the package:
	// larger images are scaled down (aspect ratio kept). 0 means
	// DefaultMaxTextureSize; a negative value keeps every size.
	MaxTextureSize int
	// MaxImagePixels is the largest image (width × height) decoded to be
	// resized or split; a larger one is left out with a warning. 0 means
	// DefaultMaxImagePixels.
	MaxImagePixels int
	// TriangleBudget is the triangle count above which a warning says the
	// model is heavier than AR Quick Look recommends (never an error).
	// 0 means DefaultTriangleBudget; a negative value disables it.
	TriangleBudget int
	// MemoryBudget bounds the bytes of images decoded, processed and
	// encoded at once: each image reserves its footprint (decoded bitmap,
	// split channels, scaled copies, encoded output) before it is decoded,
	// and images are worked in parallel only while their reservations fit.
	// An image whose decoded bitmap alone is larger fails the conversion;
	// one whose working set is larger runs alone, holding the whole
	// budget. 0 or less means DefaultMemoryBudget.
	MemoryBudget int64
	// MaxVertices and MaxTriangles bound the geometry of the package,
	// counting every instance and the back faces of double-sided
	// materials: a model past either is refused (ErrGeometryTooLarge)
	// before its geometry is built. 0 means DefaultMaxVertices and
	// DefaultMaxTriangles; a negative value removes the limit.
	MaxVertices, MaxTriangles int
	// SplitChannels writes each packed glTF channel a material reads
	// (roughness G, metalness B, occlusion R) as its own grayscale image,
	// for USD readers that cannot select a texture channel. Off by
	// default: each input then reads its channel of the image as it is
	// (UsdUVTexture outputs g and b), so nothing is decoded.
	SplitChannels bool
	// Memory, when set, is a pool shared with the rest of the process:
	// every reservation is also taken from it, so conversions and other
	// image work running side by side cannot add up past it.
	Memory Memory
}

// Memory is a pool of bytes that image work reserves before decoding.
// Acquire waits until n bytes are free or ctx ends, and fails at once when
// n is more than the whole pool.
type Memory interface {
	Acquire(ctx context.Context, n int64) error
	Release(n int64)
}

func (o Options) withDefaults() Options {
	if o.MaxTextureSize == 0 {
		o.MaxTextureSize = DefaultMaxTextureSize
	}
	if o.MaxImagePixels <= 0 {
		o.MaxImagePixels = DefaultMaxImagePixels
	}
	if o.TriangleBudget == 0 {
		o.TriangleBudget = DefaultTriangleBudget
	}
	if o.MemoryBudget <= 0 {
		o.MemoryBudget = DefaultMemoryBudget
	}
	if o.MaxVertices == 0 {
		o.MaxVertices = DefaultMaxVertices
	}
	if o.MaxTriangles == 0 {
		o.MaxTriangles = DefaultMaxTriangles
	}
	return o
}

// Stats counts what a package holds.
type Stats struct {
	// Meshes is the number of Mesh prims: one per drawn glTF primitive
	// (triangles, strips or fans) and per node that draws it.
	Meshes int `json:"meshes"`
	// Materials is the number of Material prims: the glTF materials the
	// meshes use, plus one for primitives without a material.
	Materials int `json:"materials"`
	// Textures is the number of image files in the package.
	Textures int `json:"textures"`
	// Triangles counts the faces in the package, including the back faces
	// added for double-sided materials.
	Triangles int `json:"triangles"`
	// PeakImageMemory is the most bytes image work had reserved at once,
	// never more than Options.MemoryBudget.
	PeakImageMemory int64 `json:"peak_image_memory"`
}

// Package is a converted USDZ file.
type Package struct {
	// Bytes is the whole .usdz file.
	Bytes []byte
	// Warnings say what could not be converted exactly or goes against AR
	// Quick Look's guidance, in the order met, each once.
	Warnings []string
	Stats    Stats
}

// WriteTo writes the package's bytes to w.
func (p *Package) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(p.Bytes)
	return int64(n), err
}

// rootLayer is the name of the root layer inside the package.
const rootLayer = "model.usda"

// ErrNilDocument is returned by Convert when it is given no document.
var ErrNilDocument = errors.New("usdz: no glTF document to convert")

// Convert turns a glTF document (read and validated by package gltf) into a
// USDZ package for AR Quick Look. It never modifies doc. What cannot be
// represented (lines, points, animations, skins, vertex colours, unknown
// extensions…) is left out and reported in Package.Warnings; an error means
// no package could be made at all: an image too large for the memory
// budget, geometry past Options.MaxVertices or MaxTriangles, or ctx ending
// (checked between images and while decoding).
func Convert(ctx context.Context, doc *gltf.Document, opts Options) (*Package, error) {
	if doc == nil {
		return nil, ErrNilDocument
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("usdz: %w", err)
	}
	c := newConverter(doc, opts.withDefaults())
	c.warnDocument()
	c.writeStage()
	if c.geomErr != nil {
		return nil, fmt.Errorf("usdz: %w", c.geomErr)
	}
	if err := c.tex.encodeAll(ctx); err != nil {
		return nil, fmt.Errorf("usdz: %w", err)
	}
	if c.u.nonFinite > 0 {
		c.warnf("%d NaN or infinite numbers were replaced by 0", c.u.nonFinite)
	}
	if b := c.opts.TriangleBudget; b > 0 && c.stats.Triangles > b {
		c.warnf("the model has %d triangles, more than the %d AR Quick Look recommends: it may load slowly or not at all on older devices", c.stats.Triangles, b)
	}
	if c.stats.Meshes == 0 {
		c.warnf("the scene has no triangles to show")
	}
	files := append([]file{{name: rootLayer, data: c.u.b}}, c.tex.files...)
	data, err := writeZip(files)
	if err != nil {
		return nil, fmt.Errorf("usdz: %w", err)
	}
	c.stats.Textures = len(c.tex.files)
	c.stats.PeakImageMemory = c.tex.peak
	return &Package{Bytes: data, Warnings: c.warnings, Stats: c.stats}, nil
}

// converter holds the state of one conversion.
type converter struct {
	doc      *gltf.Document
	opts     Options
	u        usda
	tex      textures
	stats    Stats
	warnings []string
	warned   map[string]bool

	// Geometry counted so far against the package limits (reserveGeometry).
	geomVerts, geomTris int
	geomErr             error

	// Materials are written after the scene, in order of first use.
	matPath  map[int]string // glTF material index (-1: default) → prim path
	matOrder []int
	matNames names
	matUVs   map[int]uint8 // the UV sets (bit n: TEXCOORD_n) all of a material's meshes have
}

func newConverter(doc *gltf.Document, opts Options) *converter {
	c := &converter{
		doc: doc, opts: opts,
		warned:   map[string]bool{},
		matPath:  map[int]string{},
		matNames: names{},
		matUVs:   map[int]uint8{},
	}
	c.tex = textures{c: c, byKey: map[texKey]string{}, seed: maphash.MakeSeed(), byContent: map[sameImage][]*texJob{}, gray: map[string]bool{}}
	return c
}

// warnf adds a warning once.
func (c *converter) warnf(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if !c.warned[w] {
		c.warned[w] = true
		c.warnings = append(c.warnings, w)
	}
}

// handledExtensions are the extensions whose meaning the conversion keeps.
var handledExtensions = map[string]bool{
	gltf.ExtTextureTransform:          true,
	gltf.ExtMaterialsEmissiveStrength: true,
	gltf.ExtMeshQuantization:          true,
	gltf.ExtMaterialsUnlit:            true,
}

// warnDocument reports the document-wide features USDZ output leaves out.
func (c *converter) warnDocument() {
	for _, ext := range c.doc.ExtensionsUsed {
		switch {
		case handledExtensions[ext]:
		case ext == gltf.ExtMaterialsVariants:
			c.warnf("%s: only the default material of each primitive is exported, not the variants", ext)
		default:
			c.warnf("extension %s is not supported by the USDZ conversion and was ignored", ext)
		}
	}
	if n := len(c.doc.Animations); n > 0 {
		c.warnf("%d animation(s) were not exported: the model is shown in its rest pose", n)
	}
}

// noteUVs records the UV sets of a mesh bound to material idx: a material
// keeps the sets every one of its meshes has.
func (c *converter) noteUVs(idx int, g *geometry) {
	var sets uint8
	for set, st := range g.uvs {
		if st != nil {
			sets |= 1 << set
		}
	}
	if old, ok := c.matUVs[idx]; ok {
		sets &= old
	}
	c.matUVs[idx] = sets
}

// materialPath returns the prim path of glTF material idx (-1 for the
// default material), reserving its name on first use.
func (c *converter) materialPath(idx int) string {
	if p, ok := c.matPath[idx]; ok {
		return p
	}
	name := "DefaultMaterial"
	if idx >= 0 {
		name = primName(c.doc.Materials[idx].Name, "Material_"+strconv.Itoa(idx))
	}
	p := materialsPath + "/" + c.matNames.unique(name)
	c.matPath[idx] = p
	c.matOrder = append(c.matOrder, idx)
	return p
}
