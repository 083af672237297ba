package raster

import "math"

// srgbTables converts between 8-bit sRGB and linear values. They are built
// once per Model and never written afterwards, so concurrent renders share
// them freely.
type srgbTables struct {
	// toLinear decodes an 8-bit sRGB value; toLinear16 is the same in
	// 1/65535 steps, for integer averaging of mip levels.
	toLinear   [256]float32
	toLinear16 [256]uint16
	// fromLinear16 encodes a linear value in 1/65535 steps to the nearest
	// sRGB code: a table lookup instead of a pow per channel (16-bit
	// linear steps are finer than the darkest sRGB step, 1/3295).
	fromLinear16 [65536]uint8
}

func newSRGBTables() *srgbTables {
	t := &srgbTables{}
	for i := range t.toLinear {
		v := srgbDecode(float64(i) / 255)
		t.toLinear[i] = float32(v)
		t.toLinear16[i] = uint16(math.Round(v * 65535))
	}
	// Code c covers linear values up to the decoded midpoint of c and c+1.
	c := 0
	for i := range t.fromLinear16 {
		for c < 255 && float64(i)/65535 > srgbDecode((float64(c)+0.5)/255) {
			c++
		}
		t.fromLinear16[i] = uint8(c)
	}
	return t
}

func srgbDecode(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// encode returns the 8-bit sRGB code nearest to linear value v (clamped to
// [0, 1], NaN as 0).
func (t *srgbTables) encode(v float32) uint8 {
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return 255
	}
	return t.fromLinear16[int(v*65535+0.5)]
}
