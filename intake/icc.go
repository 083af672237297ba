package intake

import (
	"encoding/binary"
	"math"
)

// iccTransform turns 8-bit encoded values of a matrix/TRC profile into
// 8-bit sRGB: each channel through its tone curve to linear light, the
// colorant matrix to XYZ (D50, the profile connection space), the inverse of
// sRGB's own D50 matrix to linear sRGB, and sRGB's curve back to 8 bits.
type iccTransform struct {
	gray   bool
	lin    [3][256]float32 // tone curves, per channel
	m      [3][3]float32   // encoded-linear RGB → linear sRGB
	encode [4096]uint8     // linear [0,1] in 4096 steps → sRGB 8-bit
}

// xyzD50ToSRGB is the inverse of the Bradford-adapted sRGB colorant matrix
// (the sRGB IEC61966-2.1 profile's rXYZ, gXYZ, bXYZ).
var xyzD50ToSRGB = [3][3]float64{
	{3.1338561, -1.6168667, -0.4906146},
	{-0.9787684, 1.9161415, 0.0334540},
	{0.0719453, -0.2289914, 1.4052427},
}

// parseICC reads a profile and returns its transform, nil when there is
// nothing to do (a profile of a kind we do not convert, LUT-only or for
// another colour space, or one equal to sRGB), or an error for a damaged
// profile. channels is 1 (grey image) or 3.
func parseICC(p []byte, channels int) (*iccTransform, error) {
	bad := corrupt("the image's colour profile (ICC) is damaged")
	if len(p) < 132 || uint64(binary.BigEndian.Uint32(p)) > uint64(len(p)) || string(p[36:40]) != "acsp" {
		return nil, bad
	}
	p = p[:binary.BigEndian.Uint32(p)]
	n := uint64(binary.BigEndian.Uint32(p[128:]))
	if 132+12*n > uint64(len(p)) {
		return nil, bad
	}
	tags := map[string][]byte{}
	for i := range n {
		e := p[132+12*i:]
		off, size := uint64(binary.BigEndian.Uint32(e[4:])), uint64(binary.BigEndian.Uint32(e[8:]))
		if off+size > uint64(len(p)) {
			return nil, bad
		}
		tags[string(e[:4])] = p[off : off+size]
	}
	space, pcs := string(p[16:20]), string(p[20:24])
	t := &iccTransform{}
	switch {
	case space == "GRAY" && channels == 1 && tags["kTRC"] != nil:
		t.gray = true
		if !curveLUT(tags["kTRC"], &t.lin[0]) {
			return nil, bad
		}
	case space == "RGB " && channels == 3 && pcs == "XYZ ":
		var xyz [3][3]float64 // columns: r, g, b colorants
		for c, name := range []string{"r", "g", "b"} {
			x, okX := tags[name+"XYZ"]
			trc, okT := tags[name+"TRC"]
			if !okX || !okT {
				return nil, nil // LUT-only: taken as sRGB (see the package doc)
			}
			if len(x) < 20 || string(x[:4]) != "XYZ " || !curveLUT(trc, &t.lin[c]) {
				return nil, bad
			}
			for r := range 3 {
				xyz[r][c] = float64(int32(binary.BigEndian.Uint32(x[8+4*r:]))) / 65536
			}
		}
		for r := range 3 {
			for c := range 3 {
				var s float64
				for k := range 3 {
					s += xyzD50ToSRGB[r][k] * xyz[k][c]
				}
				t.m[r][c] = float32(s)
			}
		}
	default:
		return nil, nil
	}
	for i := range t.encode {
		t.encode[i] = uint8(math.Round(255 * srgbEncode(float64(i)/float64(len(t.encode)-1))))
	}
	if t.isSRGB() {
		return nil, nil
	}
	return t, nil
}

// isSRGB tells a profile that maps every value to itself within rounding,
// so sRGB-tagged uploads (most phone photos) skip the per-pixel work.
func (t *iccTransform) isSRGB() bool {
	for c := range 3 {
		if t.gray && c > 0 {
			break
		}
		for v := range 256 {
			if math.Abs(float64(t.lin[c][v])-srgbDecode(float64(v)/255)) > 0.25/255 {
				return false
			}
		}
		if !t.gray {
			for r := range 3 {
				want := float32(0)
				if r == c {
					want = 1
				}
				if math.Abs(float64(t.m[r][c]-want)) > 2e-3 {
					return false
				}
			}
		}
	}
	return true
}

// apply converts one NRGBA pixel (alpha untouched).
func (t *iccTransform) apply(px []uint8) {
	if t.gray {
		v := t.out(t.lin[0][px[0]])
		px[0], px[1], px[2] = v, v, v
		return
	}
	r, g, b := t.lin[0][px[0]], t.lin[1][px[1]], t.lin[2][px[2]]
	px[0] = t.out(t.m[0][0]*r + t.m[0][1]*g + t.m[0][2]*b)
	px[1] = t.out(t.m[1][0]*r + t.m[1][1]*g + t.m[1][2]*b)
	px[2] = t.out(t.m[2][0]*r + t.m[2][1]*g + t.m[2][2]*b)
}

// out clips to the sRGB gamut and encodes.
func (t *iccTransform) out(v float32) uint8 {
	if !(v > 0) { // also NaN
		return 0
	}
	if v >= 1 {
		return 255
	}
	return t.encode[int(v*float32(len(t.encode)-1)+0.5)]
}

func srgbDecode(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func srgbEncode(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}
