package raster

import "math"

// srgbTables converts between 8-bit sRGB and linear values. They are built
// once per Model and never written afterwards, so concurrent renders share
// them freely.
type srgbTables struct {
	// toLinear decodes an 8-bit sRGB value.
	toLinear [256]float32
	// edges[i] is the linear value halfway (in sRGB) between codes i and
	// i+1: encoding is a binary search, exact rounding without a pow per
	// pixel.
	edges [255]float32
}

func newSRGBTables() *srgbTables {
	t := &srgbTables{}
	for i := range t.toLinear {
		t.toLinear[i] = float32(srgbDecode(float64(i) / 255))
	}
	for i := range t.edges {
		t.edges[i] = float32(srgbDecode((float64(i) + 0.5) / 255))
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
	lo, hi := 0, len(t.edges) // answer: number of edges below v
	for lo < hi {
		mid := (lo + hi) / 2
		if t.edges[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return uint8(lo)
}
