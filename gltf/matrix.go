package gltf

// Mat4 is a 4×4 matrix in column-major order, as glTF stores node matrices.
type Mat4 [16]float64

// Identity is the identity matrix.
var Identity = Mat4{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}

// LocalMatrix returns the node's transform relative to its parent: its
// matrix, or translation × rotation × scale with absent parts as identity.
func (n *Node) LocalMatrix() Mat4 {
	if n.Matrix != nil {
		return Mat4(*n.Matrix)
	}
	t, r, s := [3]float64{}, [4]float64{0, 0, 0, 1}, [3]float64{1, 1, 1}
	if n.Translation != nil {
		t = *n.Translation
	}
	if n.Rotation != nil {
		r = *n.Rotation
	}
	if n.Scale != nil {
		s = *n.Scale
	}
	x, y, z, w := r[0], r[1], r[2], r[3]
	// Rotation matrix of a unit quaternion, columns scaled by s.
	return Mat4{
		(1 - 2*(y*y+z*z)) * s[0], (2 * (x*y + z*w)) * s[0], (2 * (x*z - y*w)) * s[0], 0,
		(2 * (x*y - z*w)) * s[1], (1 - 2*(x*x+z*z)) * s[1], (2 * (y*z + x*w)) * s[1], 0,
		(2 * (x*z + y*w)) * s[2], (2 * (y*z - x*w)) * s[2], (1 - 2*(x*x+y*y)) * s[2], 0,
		t[0], t[1], t[2], 1,
	}
}

// Mul returns m × o (o applied first).
func (m Mat4) Mul(o Mat4) Mat4 {
	var r Mat4
	for c := 0; c < 4; c++ {
		for row := 0; row < 4; row++ {
			var sum float64
			for k := 0; k < 4; k++ {
				sum += m[k*4+row] * o[c*4+k]
			}
			r[c*4+row] = sum
		}
	}
	return r
}

// Apply transforms the point p (w = 1).
func (m Mat4) Apply(p [3]float64) [3]float64 {
	return [3]float64{
		m[0]*p[0] + m[4]*p[1] + m[8]*p[2] + m[12],
		m[1]*p[0] + m[5]*p[1] + m[9]*p[2] + m[13],
		m[2]*p[0] + m[6]*p[1] + m[10]*p[2] + m[14],
	}
}
