package raster

import (
	"errors"
	"image"
	"image/color"
)

// Limits and defaults of Load and Render.
const (
	// DefaultMaxTextureSize is the largest texture side kept by Load when
	// LoadOptions.MaxTextureSize is 0; larger textures are halved until
	// they fit.
	DefaultMaxTextureSize = 2048
	// DefaultMaxTriangles is the triangle limit of Load when
	// LoadOptions.MaxTriangles is 0.
	DefaultMaxTriangles = 4_000_000
	// MaxImagePixels is the largest image Load agrees to decode (its
	// header is read first): 8192×8192, 256 MiB as RGBA.
	MaxImagePixels = 8192 * 8192
	// DefaultSize is the output side when Options.Size is 0.
	DefaultSize = 1024
	// MaxSize is the largest output side Render accepts.
	MaxSize = 4096
)

// ErrLimit is wrapped by the errors of inputs or options over a limit.
var ErrLimit = errors.New("over a limit")

// LoadOptions bounds what Load may keep in memory.
type LoadOptions struct {
	// MaxTextureSize is the largest texture width or height kept (0 =
	// DefaultMaxTextureSize); larger textures are scaled down.
	MaxTextureSize int
	// MaxTriangles is the most triangles a model may have (0 =
	// DefaultMaxTriangles); Load refuses more with an error.
	MaxTriangles int
}

// Options says how to draw one image.
type Options struct {
	// Size is the side of the square output in pixels (0 = DefaultSize,
	// more than MaxSize is refused).
	Size int
	// View is one of Views(); "" is "three-quarter".
	View string
	// Background is painted behind the model; nil leaves it transparent.
	Background *color.NRGBA
	// BaseColor replaces the base-colour texture of materials, keyed by
	// glTF material index, for per-design previews without reloading the
	// product. Mipmaps of these images are built by each Render.
	BaseColor map[int]Texture
}

// Texture is a base-colour image given to Render.
type Texture struct {
	// Image holds sRGB colours with straight or premultiplied alpha (any
	// image.Image; it is converted).
	Image image.Image
	// TexCoord is the TEXCOORD_n set that maps the image.
	TexCoord int
	// FactorWhite makes the material's baseColorFactor count as
	// (1,1,1,1), for images that already carry the final colour.
	FactorWhite bool

	// mip is the pyramid built by Model.Prepare, for owner only (its
	// texture size cap and tables).
	mip   *mipmap
	owner *Model
}

// View names.
const (
	ViewThreeQuarter = "three-quarter"
	ViewFront        = "front"
	ViewBack         = "back"
	ViewLeft         = "left"
	ViewRight        = "right"
	ViewTop          = "top"
)

// Views lists the names Options.View accepts, the default first.
func Views() []string {
	return []string{ViewThreeQuarter, ViewFront, ViewBack, ViewLeft, ViewRight, ViewTop}
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.MaxTextureSize <= 0 {
		o.MaxTextureSize = DefaultMaxTextureSize
	}
	if o.MaxTriangles <= 0 {
		o.MaxTriangles = DefaultMaxTriangles
	}
	return o
}
