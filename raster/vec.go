package raster

import "math"

// vec3 is a point or direction in float64, for camera and lighting set-up
// where precision is cheap (per image or per vertex, not per sample).
type vec3 [3]float64

func (a vec3) add(b vec3) vec3      { return vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec3) sub(b vec3) vec3      { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a vec3) scale(s float64) vec3 { return vec3{a[0] * s, a[1] * s, a[2] * s} }
func (a vec3) dot(b vec3) float64   { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec3) length() float64      { return math.Sqrt(a.dot(a)) }

func (a vec3) cross(b vec3) vec3 {
	return vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// norm returns a unit vector, or the zero vector for a zero one (a
// degenerate normal must not become NaN).
func (a vec3) norm() vec3 {
	l2 := a.dot(a)
	if !(l2 > 0) || l2 > math.MaxFloat64/2 { // zero, NaN or infinite
		return vec3{}
	}
	s := 1 / math.Sqrt(l2)
	return vec3{a[0] * s, a[1] * s, a[2] * s}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
