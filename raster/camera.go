package raster

import (
	"fmt"
	"math"
)

// fovY is the reference camera's field of view: a 35 mm lens on a 36 mm
// sensor, 2·atan(18/35) ≈ 54.4322°, horizontal and vertical alike since
// the image is square.
var fovY = 2 * math.Atan(18.0/35.0)

// camera maps world space to pixels: eye-space basis, projection scale and
// clip distances. Depth is kept as 1/w (larger is nearer), which is affine
// in screen space and needs no projection of z.
type camera struct {
	eye           vec3
	right, up, fw vec3    // fw points from the eye into the scene
	focal         float64 // 1/tan(fov/2)
	near, far     float64
	size          float64 // image side in pixels
}

// bounds is an axis-aligned box of world-space vertex positions.
type bounds struct {
	min, max vec3
	ok       bool
}

func (b *bounds) add(p vec3) {
	if !b.ok {
		b.min, b.max, b.ok = p, p, true
		return
	}
	for k := 0; k < 3; k++ {
		b.min[k] = math.Min(b.min[k], p[k])
		b.max[k] = math.Max(b.max[k], p[k])
	}
}

// viewDir returns the direction from the scene centre to the eye and the
// up vector of a named view.
func viewDir(view string) (v, up vec3, err error) {
	switch view {
	case "", ViewThreeQuarter:
		return vec3{1, 0.6, 1}.norm(), vec3{0, 1, 0}, nil
	case ViewFront:
		return vec3{0, 0, 1}, vec3{0, 1, 0}, nil
	case ViewBack:
		return vec3{0, 0, -1}, vec3{0, 1, 0}, nil
	case ViewLeft:
		return vec3{-1, 0, 0}, vec3{0, 1, 0}, nil
	case ViewRight:
		return vec3{1, 0, 0}, vec3{0, 1, 0}, nil
	case ViewTop:
		// Up is −Z so the model's front (+Z) faces the bottom of the image.
		return vec3{0, 1, 0}, vec3{0, 0, -1}, nil
	}
	return vec3{}, vec3{}, fmt.Errorf("unknown view %q (want one of %v): %w", view, Views(), ErrLimit)
}

// newCamera frames the bounding sphere of b exactly: the sphere of radius
// r = |max−min|/2 around the box centre fills the field of view.
func newCamera(b bounds, view string, size int) (camera, error) {
	v, up, err := viewDir(view)
	if err != nil {
		return camera{}, err
	}
	c := b.min.add(b.max).scale(0.5)
	r := b.max.sub(b.min).length() / 2
	if !b.ok || !(r > 0) || !finite(r) {
		// Nothing (or a single point) to frame: any finite camera will do,
		// the image is empty anyway.
		c, r = vec3{}, 1
	}
	d := r / math.Sin(fovY/2)
	cam := camera{eye: c.add(v.scale(d)), focal: 1 / math.Tan(fovY/2), near: 0.05 * d, far: 2 * (d + r), size: float64(size)}
	cam.fw = v.scale(-1)
	cam.right = cam.fw.cross(up).norm()
	cam.up = cam.right.cross(cam.fw)
	return cam, nil
}

// project returns the pixel position of world point p (x right, y down,
// pixel centres at +0.5) and 1/w, its inverse distance along the view
// axis; ok is false when p is not in front of the near plane.
func (c *camera) project(p vec3) (x, y, iw float64, ok bool) {
	q := p.sub(c.eye)
	w := q.dot(c.fw)
	if !(w >= c.near) { // also false for NaN
		return 0, 0, 0, false
	}
	half := c.size / 2
	x = half + q.dot(c.right)*c.focal/w*half
	y = half - q.dot(c.up)*c.focal/w*half
	return x, y, 1 / w, finite(x) && finite(y)
}
