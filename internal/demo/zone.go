package demo

import (
	"fmt"
	"math"
	"strconv"
)

// UVRect is a rectangle of a material's UV space in glTF's convention
// (v = 0 at the top of the image), 0..1 on both axes.
type UVRect struct {
	U0, V0, U1, V1 float64
}

// Zone is what a seeder needs to put a print zone on a generated model.
type Zone struct {
	// Material names the material the print zone covers.
	Material string
	// Rect is the print area in Material's UV space (TEXCOORD_0). Texels
	// are square in millimetres over it: (U1-U0)/(V1-V0) = WidthMM/HeightMM.
	Rect UVRect
	// WidthMM and HeightMM are the printed size of the area, and DPI the
	// resolution print shops ask for.
	WidthMM, HeightMM float64
	DPI               int
	// FrontXMM is where, from the area's left edge in millimetres, the
	// vertical line facing +Z lies: the part model viewers show first,
	// where a sample design reads best.
	FrontXMM float64
	// ColourMaterials name the materials that make good colour zones.
	ColourMaterials []string
}

// MugZone describes the print area of Mug: a 200 × 80 mm wrap on the
// outside wall, centred opposite the handle (the UV seam), at 300 DPI.
// It holds for every MugOptions.
func MugZone() Zone {
	c := circumference() / mm // in millimetres
	// The wall's top edge lies at v = bodyV0; the area is centred on the
	// straight part of the wall.
	top := mugRimY - (mugRimY-mugWallBottom-printHeightMM)/2
	u0 := 0.5 - printWidthMM/2/c
	v0 := bodyV0 + (mugRimY-top)/c
	return Zone{
		Material: MaterialBody,
		Rect:     UVRect{U0: u0, V0: v0, U1: 0.5 + printWidthMM/2/c, V1: v0 + printHeightMM/c},
		WidthMM:  printWidthMM, HeightMM: printHeightMM, DPI: printDPI,
		// Meridian 3n/4 (u = 0.75) faces +Z.
		FrontXMM:        (0.75 - u0) * c,
		ColourMaterials: []string{MaterialInside, MaterialHandle},
	}
}

// srgbHex parses #rrggbb and returns the colour as the linear RGB factors
// glTF's baseColorFactor holds, rounded to 4 decimals so the JSON stays
// readable and stable.
func srgbHex(s string) ([3]float64, error) {
	var out [3]float64
	if len(s) != 7 || s[0] != '#' {
		return out, fmt.Errorf("%q is not a #rrggbb colour", s)
	}
	for k := range 3 {
		v, err := strconv.ParseUint(s[1+2*k:3+2*k], 16, 8)
		if err != nil {
			return out, fmt.Errorf("%q is not a #rrggbb colour", s)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		out[k] = math.Round(c*1e4) / 1e4
	}
	return out, nil
}
