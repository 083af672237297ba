package demo

import (
	"bytes"
	"fmt"
	"math"

	"github.com/luneo/luneo/gltf"
)

// mm converts millimetres, the unit the mug is designed in, to metres,
// glTF's unit.
const mm = 0.001

// The mug's shape, in millimetres: a classic 11 oz mug (the size print
// shops sell most). The body is a straight cylinder, so its outside wall
// unrolls onto a rectangle of UV space without any stretching.
const (
	mugOuterR     = 41.0 // outside radius: 82 mm across
	mugHeight     = 95.0 // from the table to the top of the rim
	mugWall       = 4.0  // wall thickness; the rim is a half round of this diameter
	mugFootR      = 4.0  // radius of the rounded edge where wall meets base
	mugFloorY     = 8.0  // height of the inside floor (the base is this thick)
	mugInFilletR  = 6.0  // radius of the rounded inside corner
	mugInnerR     = mugOuterR - mugWall
	mugRimY       = mugHeight - mugWall/2 // where the straight walls end
	mugWallBottom = mugFootR              // where the outside wall meets the foot
)

// The handle: an elliptical tube swept along an arc in the XY plane on the
// +X side, its two ends buried in the wall's thickness.
const (
	handleAttachX  = mugOuterR - mugWall/2 // path ends in the middle of the wall
	handleAttachDY = 28.0                  // ends at mid-height ± this
	handleMidY     = 50.0
	handleReach    = 71.0 // x of the path's outermost point
	handleHalfT    = 4.5  // half thickness, in the arc's plane
	handleHalfW    = 6.0  // half width, along Z
)

// The print area on the outside wall, in millimetres: a 200 × 80 mm wrap
// centred opposite the handle and on the straight wall's height, leaving
// 29 mm of clearance on each side of the handle and 4.5 mm at top and bottom.
const (
	printWidthMM  = 200.0
	printHeightMM = 80.0
	printDPI      = 300
)

// bodyV0 is the v at which the outside wall's top edge lies in Body's
// texture; the strip of the wall and the disk of the base lie below it.
const bodyV0 = 0.04

// Material names, the words a brand sees in the zone editor.
const (
	MaterialBody   = "Body"
	MaterialInside = "Inside"
	MaterialHandle = "Handle"
)

// DefaultAccentColour is the default colour of the inside and the handle, a
// deep blue that shows at once that they are separate colour zones.
const DefaultAccentColour = "#1d4e89"

// MugOptions tune Mug. The zero value gives the demo model.
type MugOptions struct {
	// Segments is the number of facets around the mug, a multiple of 4
	// from 24 to 256 (default 96, which looks round at any zoom a phone
	// allows and keeps the model under 5,000 triangles). The rim, the
	// rounded edges and the handle get a number of facets in proportion.
	Segments int
	// TextureSize is the side in pixels of Body's white base colour
	// texture, a power of two from 256 to 4096 (default 2048, the largest
	// design texture the compositor makes: about 8 px per mm on the wall).
	TextureSize int
	// NoTexture leaves Body without a base colour texture; the design
	// pipeline then makes one from the white colour factor.
	NoTexture bool
	// InsideColour and HandleColour are sRGB colours as #rrggbb
	// (default DefaultAccentColour).
	InsideColour, HandleColour string
}

func (o MugOptions) withDefaults() (MugOptions, error) {
	if o.Segments == 0 {
		o.Segments = 96
	}
	if o.TextureSize == 0 {
		o.TextureSize = 2048
	}
	if o.InsideColour == "" {
		o.InsideColour = DefaultAccentColour
	}
	if o.HandleColour == "" {
		o.HandleColour = DefaultAccentColour
	}
	if o.Segments < 24 || o.Segments > 256 || o.Segments%4 != 0 {
		return o, fmt.Errorf("segments %d: want a multiple of 4 from 24 to 256", o.Segments)
	}
	if s := o.TextureSize; s < 256 || s > 4096 || s&(s-1) != 0 {
		return o, fmt.Errorf("texture size %d: want a power of two from 256 to 4096", s)
	}
	return o, nil
}

// Mug returns the demo mug as a GLB file: an 11 oz mug at real scale
// (metres, Y up, standing on y = 0, the handle towards +X) with three
// named materials, Body (the printable outside wall and the base), Inside
// (the inside and the rim) and Handle. See MugZone for where to print.
func Mug(opt MugOptions) ([]byte, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("demo mug: %w", err)
	}
	doc, err := mugDocument(opt)
	if err != nil {
		return nil, fmt.Errorf("demo mug: %w", err)
	}
	var buf bytes.Buffer
	if err := gltf.WriteGLB(&buf, doc); err != nil {
		return nil, fmt.Errorf("demo mug: %w", err)
	}
	return buf.Bytes(), nil
}

// mugDocument builds the glTF document of the mug.
func mugDocument(opt MugOptions) (*gltf.Document, error) {
	inside, err := srgbHex(opt.InsideColour)
	if err != nil {
		return nil, fmt.Errorf("inside colour: %w", err)
	}
	handle, err := srgbHex(opt.HandleColour)
	if err != nil {
		return nil, fmt.Errorf("handle colour: %w", err)
	}
	n := opt.Segments
	parts := []part{
		{material: MaterialBody, colour: [3]float64{1, 1, 1}, textured: !opt.NoTexture, mesh: mugBody(n)},
		{material: MaterialInside, colour: inside, mesh: mugInside(n)},
		{material: MaterialHandle, colour: handle, mesh: mugHandle(n)},
	}
	var tex []byte
	if !opt.NoTexture {
		tex = whitePNG(opt.TextureSize)
	}
	return assemble("Mug", parts, tex)
}

// circumference is the outside wall's length around, in metres: one unit
// of u on Body, and so also one unit of v (texels are square in mm).
func circumference() float64 { return 2 * math.Pi * mugOuterR * mm }

// mugBody is the outside: the straight wall, the rounded foot and the base.
// The wall and foot unroll around u (seam at the handle) and down v at
// the true scale of the wall (1 / circumference per metre on both axes);
// the base is mapped flat, at the same scale, in a square of its own below,
// seen from underneath with the front (+Z) up.
func mugBody(n int) meshData {
	var m meshData
	c := circumference()
	pr := profile{}.
		line(mugOuterR, mugRimY, mugOuterR, mugWallBottom).
		arc(mugOuterR-mugFootR, mugFootR, mugFootR, 0, -math.Pi/2, max(2, n/32), true)
	m.lathe(pr, n, func(p profilePoint, j int) [2]float64 {
		return [2]float64{float64(j) / float64(n), bodyV0 + p.s/c}
	})
	baseR := (mugOuterR - mugFootR) * mm
	uc, vc := bodyV0+baseR/c, bodyV0+pr.length()/c+0.05+baseR/c
	m.disk(baseR, 0, false, n, func(x, z float64) [2]float64 {
		return [2]float64{uc + x/c, vc - z/c}
	})
	return m
}

// mugInside is the inside floor, the rounded inside corner, the inside wall
// and the rim. The walls unroll like Body's (v from the rim down) at the
// scale of the inside circumference; the floor is mapped flat beside them,
// seen from above with the front (+Z) down.
func mugInside(n int) meshData {
	var m meshData
	c := 2 * math.Pi * mugInnerR * mm
	floorR := mugInnerR - mugInFilletR
	pr := profile{}.
		arc(floorR, mugFloorY+mugInFilletR, mugInFilletR, -math.Pi/2, 0, max(2, n/32), false).
		line(mugInnerR, mugFloorY+mugInFilletR, mugInnerR, mugRimY).
		arc(mugOuterR-mugWall/2, mugRimY, mugWall/2, math.Pi, 0, max(4, n/16), true)
	total := pr.length()
	m.lathe(pr, n, func(p profilePoint, j int) [2]float64 {
		return [2]float64{float64(j) / float64(n), 0.04 + (total-p.s)/c}
	})
	r := floorR * mm
	uc, vc := 0.04+r/c, 0.04+total/c+0.05+r/c
	m.disk(r, mugFloorY*mm, true, n, func(x, z float64) [2]float64 {
		return [2]float64{uc + x/c, vc + z/c}
	})
	return m
}
