package intake

import (
	"encoding/binary"
	"math"
)

// curveLUT fills lut with a tone curve tag ('curv' or 'para', ICC.1:2010
// 10.6 and 10.18) sampled at the 256 8-bit input values. It reports false
// for a damaged or unknown curve.
func curveLUT(tag []byte, lut *[256]float32) bool {
	if len(tag) < 12 {
		return false
	}
	var f func(x float64) float64
	switch string(tag[:4]) {
	case "curv":
		n := uint64(binary.BigEndian.Uint32(tag[8:]))
		if 12+2*n > uint64(len(tag)) {
			return false
		}
		switch n {
		case 0:
			f = func(x float64) float64 { return x }
		case 1:
			g := float64(binary.BigEndian.Uint16(tag[12:])) / 256
			f = func(x float64) float64 { return math.Pow(x, g) }
		default:
			f = func(x float64) float64 { return tableCurve(tag[12:12+2*n], x) }
		}
	case "para":
		var ok bool
		if f, ok = paraCurve(tag); !ok {
			return false
		}
	default:
		return false
	}
	for i := range lut {
		v := f(float64(i) / 255)
		if math.IsNaN(v) {
			return false
		}
		lut[i] = float32(min(max(v, 0), 1))
	}
	return true
}

// tableCurve interpolates a sampled curve of uint16 values.
func tableCurve(tab []byte, x float64) float64 {
	n := len(tab) / 2
	pos := x * float64(n-1)
	i := min(int(pos), n-2)
	frac := pos - float64(i)
	a := float64(binary.BigEndian.Uint16(tab[2*i:]))
	b := float64(binary.BigEndian.Uint16(tab[2*i+2:]))
	return (a + (b-a)*frac) / 65535
}

// paraCurve reads a parametric curve: types 0–4 with 1, 3, 4, 5 or 7
// s15Fixed16 parameters.
func paraCurve(tag []byte) (func(float64) float64, bool) {
	typ := binary.BigEndian.Uint16(tag[8:])
	count := [...]int{1, 3, 4, 5, 7}
	if typ > 4 || len(tag) < 12+4*count[typ] {
		return nil, false
	}
	var p [7]float64
	for i := range count[typ] {
		p[i] = float64(int32(binary.BigEndian.Uint32(tag[12+4*i:]))) / 65536
	}
	g, a, b, c, d, e, f := p[0], p[1], p[2], p[3], p[4], p[5], p[6]
	pow := func(x float64) float64 {
		if x <= 0 {
			return 0
		}
		return math.Pow(x, g)
	}
	switch typ {
	case 0:
		return pow, true
	case 1:
		return func(x float64) float64 { return pow(a*x + b) }, true
	case 2:
		return func(x float64) float64 { return pow(a*x+b) + c }, true
	case 3:
		return func(x float64) float64 {
			if x >= d {
				return pow(a*x + b)
			}
			return c * x
		}, true
	default:
		return func(x float64) float64 {
			if x >= d {
				return pow(a*x+b) + e
			}
			return c*x + f
		}, true
	}
}
