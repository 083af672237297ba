package render

import (
	"math"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
)

// A design zone becomes a compositor scene: millimetres become pixels at
// the output's resolution. Three outputs use the same conversion: the print
// file (the zone's DPI, bleed added on every side), the zone's rect in a
// design texture and the preview (both without bleed, at whatever size
// they get).

// mmPerPt converts typographic points to millimetres.
const mmPerPt = 25.4 / 72

// Sources names: an image layer's source is its asset, the zone mask is
// the scene's mask.
const (
	srcAsset = "asset:"
	srcMask  = "mask:"
)

// frame is the pixel frame a zone is drawn in.
type frame struct {
	// W, H are the scene's size in pixels.
	W, H int
	// PxPerMM is the scale; BleedPx the offset of the zone's top-left.
	PxPerMM float64
	BleedPx float64
	// DPI is written into raster files (pHYs) and sizes the PDF page.
	DPI float64
}

// zoneMM is a print zone's printed size.
func zoneMM(z catalog.Zone) (w, h float64) {
	if z.WidthMM == nil || z.HeightMM == nil {
		return 0, 0
	}
	return *z.WidthMM, *z.HeightMM
}

// printFrame is the frame of a zone's print file: its DPI, bleed included.
func printFrame(z catalog.Zone) frame {
	w, h := zoneMM(z)
	dpi := 300.0
	if z.DPI != nil {
		dpi = float64(*z.DPI)
	}
	ppm := dpi / 25.4
	bleed := z.BleedMM * ppm
	return frame{W: int(math.Round((w + 2*z.BleedMM) * ppm)), H: int(math.Round((h + 2*z.BleedMM) * ppm)),
		PxPerMM: ppm, BleedPx: bleed, DPI: dpi}
}

// sizedFrame is the frame of a zone drawn into a box of w×h pixels (a
// texture rect, a preview), without bleed.
func sizedFrame(z catalog.Zone, w, h int) frame {
	zw, _ := zoneMM(z)
	ppm := float64(w) / max(zw, 1e-9)
	return frame{W: w, H: h, PxPerMM: ppm, DPI: ppm * 25.4}
}

// previewFrame fits the zone within n×n pixels keeping its aspect.
func previewFrame(z catalog.Zone, n int) frame {
	w, h := zoneMM(z)
	s := float64(n) / max(w, h, 1e-9)
	return sizedFrame(z, max(1, int(math.Round(w*s))), max(1, int(math.Round(h*s))))
}

// assetSize gives an asset's pixel size, for crops (fractions in the
// design, pixels in the scene).
type assetSize func(sha string) (w, h int)

// sceneOf converts the layers of one print zone. hasMask says the zone has
// a mask, which then clips every layer.
func sceneOf(z catalog.Zone, layers []design.Layer, f frame, hasMask bool, size assetSize) *compose.Scene {
	s := &compose.Scene{Width: f.W, Height: f.H, DPI: f.DPI, Layers: make([]compose.Layer, 0, len(layers))}
	if hasMask {
		s.Mask = srcMask + z.ID
	}
	px := func(mm float64) float64 { return mm * f.PxPerMM }
	pos := func(mm float64) float64 { return f.BleedPx + mm*f.PxPerMM }
	for _, l := range layers {
		switch l.Type {
		case design.LayerText:
			t := l.Text
			s.Layers = append(s.Layers, compose.Layer{Type: "text", Text: t.Text, Font: t.Font,
				Size: px(t.SizePt * mmPerPt), Color: t.Color, Align: t.Align, X: pos(t.XMM), Y: pos(t.YMM),
				Rotation: t.Rotation, LineHeight: t.LineHeight, LetterSpacing: px(t.LetterSpacingMM),
				Arc: t.ArcDeg, Stroke: strokeColour(t), StrokeWidth: px(t.StrokeMM)})
		case design.LayerImage:
			im := l.Image
			w, h := size(im.Asset)
			op := im.Opacity
			s.Layers = append(s.Layers, compose.Layer{Type: "image", Src: srcAsset + im.Asset,
				X: pos(im.XMM), Y: pos(im.YMM), Width: px(im.WidthMM), Height: px(im.HeightMM),
				Rotation: im.Rotation, Opacity: &op,
				Crop: &compose.Rect{X: im.Crop.X * float64(w), Y: im.Crop.Y * float64(h),
					Width: im.Crop.Width * float64(w), Height: im.Crop.Height * float64(h)}})
		case design.LayerColour:
			// A fill covers the whole print, bleed included.
			s.Layers = append(s.Layers, compose.Layer{Type: "fill", Color: l.Fill.Color})
		}
	}
	return s
}

// strokeColour is the stroke to draw: none when its width is zero.
func strokeColour(t *design.TextLayer) string {
	if t.StrokeMM <= 0 {
		return ""
	}
	return t.Stroke
}
