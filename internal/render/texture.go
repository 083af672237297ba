package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"

	"github.com/luneo/luneo/internal/catalog"
)

// The design texture of a material: the material's base colour texture with
// every print zone on that material composited into the zone's UV rect, at
// the texture's own size capped at the configured maximum. A material with no
// base colour texture gets one filled with its base colour factor. The zone
// images arrive already rendered at their rect's pixel size (zonePixels), so
// drawing them is a copy, not a resample.

// placement is one zone's rendered image and where it goes.
type placement struct {
	rect catalog.Rect
	img  image.Image
}

// textureSize is the size of a material's design texture: the base
// texture's size, or for a material without one the size at which its zones
// keep their print resolution; both capped at maxSide, keeping the aspect.
func textureSize(base image.Point, zones []catalog.Zone, maxSide int) image.Point {
	w, h := base.X, base.Y
	if w <= 0 || h <= 0 {
		w, h = 1024, 1024 // a zone with no print size (never: print zones have one)
		for i, z := range zones {
			if z.WidthPX == nil || z.HeightPX == nil {
				continue
			}
			r := rectOf(z)
			zw := int(math.Ceil(float64(*z.WidthPX) / (r.U1 - r.U0)))
			zh := int(math.Ceil(float64(*z.HeightPX) / (r.V1 - r.V0)))
			if i == 0 {
				w, h = zw, zh
			}
			w, h = max(w, zw), max(h, zh)
		}
	}
	if s := max(w, h); s > maxSide {
		w = max(1, int(math.Round(float64(w)*float64(maxSide)/float64(s))))
		h = max(1, int(math.Round(float64(h)*float64(maxSide)/float64(s))))
	}
	return image.Pt(w, h)
}

// rectOf is a zone's UV rect, the whole material when it sets none.
func rectOf(z catalog.Zone) catalog.Rect {
	if z.UVRect == nil {
		return catalog.Rect{U0: 0, V0: 0, U1: 1, V1: 1}
	}
	return *z.UVRect
}

// pixelRect is where a UV rect falls in a texture of size sz (glTF UVs: v
// grows downwards, like image rows).
func pixelRect(r catalog.Rect, sz image.Point) image.Rectangle {
	x0 := int(math.Round(r.U0 * float64(sz.X)))
	y0 := int(math.Round(r.V0 * float64(sz.Y)))
	x1 := int(math.Round(r.U1 * float64(sz.X)))
	y1 := int(math.Round(r.V1 * float64(sz.Y)))
	return image.Rect(x0, y0, max(x1, x0+1), max(y1, y0+1))
}

// designTexture composes the texture: base (nil: filled with factor) at size
// sz, then every placement over it.
func designTexture(base image.Image, factor [4]float64, sz image.Point, zones []placement) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, sz.X, sz.Y))
	switch {
	case base == nil:
		c := color.NRGBA{R: toSRGB(factor[0]), G: toSRGB(factor[1]), B: toSRGB(factor[2]), A: uint8(math.Round(clamp01(factor[3]) * 255))}
		draw.Draw(out, out.Bounds(), &image.Uniform{C: c}, image.Point{}, draw.Src)
	case base.Bounds().Size() == sz:
		draw.Draw(out, out.Bounds(), base, base.Bounds().Min, draw.Src)
	default:
		xdraw.CatmullRom.Scale(out, out.Bounds(), base, base.Bounds(), draw.Src, nil)
	}
	for _, p := range zones {
		dst := pixelRect(p.rect, sz)
		if p.img.Bounds().Size() == dst.Size() {
			draw.Draw(out, dst, p.img, p.img.Bounds().Min, draw.Over)
			continue
		}
		xdraw.ApproxBiLinear.Scale(out, dst, p.img, p.img.Bounds(), draw.Over, nil)
	}
	return out
}

// toSRGB encodes a linear channel (glTF factors are linear) as 8-bit sRGB.
func toSRGB(v float64) uint8 {
	v = clamp01(v)
	if v <= 0.0031308 {
		v *= 12.92
	} else {
		v = 1.055*math.Pow(v, 1/2.4) - 0.055
	}
	return uint8(math.Round(v * 255))
}

func clamp01(v float64) float64 { return min(max(v, 0), 1) }
