package gltf

import "math"

// Tolerances of the unit-length checks, on |length - 1|. They were
// measured on the Khronos validator (bisecting mutated files), so that a
// file is refused here exactly when it is refused there; they are loose
// enough for 8-bit quantized normals.
const (
	unitTolerance = 0.00674 // vec3: normals, tangents
	quatTolerance = 0.00769 // vec4: node rotations, rotation keyframes
	sumTolerance  = 0.01    // |sum - 1| of the skin weights of a vertex
)

func (v *validator) nodes() {
	d := v.doc
	n := len(d.Nodes)
	v.parent = make([]int, n)
	for i := range v.parent {
		v.parent[i] = -1
	}
	for i := range d.Nodes {
		nd := &d.Nodes[i]
		p := ptr("nodes", i)
		if nd.Camera != nil {
			v.ref(p+"/camera", *nd.Camera, len(d.Cameras), "camera")
		}
		if nd.Skin != nil {
			v.ref(p+"/skin", *nd.Skin, len(d.Skins), "skin")
		}
		targets := -1
		if nd.Mesh != nil && v.ref(p+"/mesh", *nd.Mesh, len(d.Meshes), "mesh") {
			m := &d.Meshes[*nd.Mesh]
			if len(m.Primitives) > 0 {
				targets = len(m.Primitives[0].Targets)
			}
			v.nodeSkin(i, nd, m, p)
		}
		if nd.Weights != nil && targets >= 0 && len(nd.Weights) != targets {
			v.rep.addf(SeverityError, "NODE_WEIGHTS_INVALID", p+"/weights", "the node has %d morph weights but its mesh has %d morph targets", len(nd.Weights), targets)
		}
		for ci, c := range nd.Children {
			cp := ptr("nodes", i, "children", ci)
			if !v.ref(cp, c, n, "node") {
				continue
			}
			if v.parent[c] >= 0 {
				v.rep.addf(SeverityError, "NODE_PARENT_OVERRIDE", cp, "node %d is already a child of node %d; a node has at most one parent", c, v.parent[c])
				continue
			}
			v.parent[c] = i
		}
		v.transform(nd, p)
	}
	// Scene roots are checked against the parents as declared, before
	// loops() breaks cycles (a node that is its own child is no root).
	v.declaredParent = append([]int(nil), v.parent...)
	v.loops()
}

// loops reports nodes that are their own ancestors. Each node has at most
// one parent (overrides were refused), so following parents either reaches
// a root or goes round a cycle.
func (v *validator) loops() {
	state := make([]uint8, len(v.parent)) // 0 new, 1 on current path, 2 done
	for i := range v.parent {
		var path []int
		j := i
		for j >= 0 && state[j] == 0 {
			state[j] = 1
			path = append(path, j)
			j = v.parent[j]
		}
		if j >= 0 && state[j] == 1 {
			v.rep.addf(SeverityError, "NODE_LOOP", ptr("nodes", j), "node %d is its own ancestor: the node hierarchy has a cycle", j)
			for k := j; ; { // break the cycle so later walks terminate
				next := v.parent[k]
				if next == j {
					v.parent[k] = -1
					break
				}
				k = next
			}
		}
		for _, k := range path {
			state[k] = 2
		}
	}
}

func (v *validator) nodeSkin(i int, nd *Node, m *Mesh, p string) {
	skinned := false
	for _, pr := range m.Primitives {
		if _, ok := pr.Attributes["JOINTS_0"]; ok {
			if _, ok := pr.Attributes["WEIGHTS_0"]; ok {
				skinned = true
			}
		}
	}
	switch {
	case nd.Skin != nil && !skinned:
		v.rep.addf(SeverityError, "NODE_SKIN_WITH_NON_SKINNED_MESH", p+"/skin", "the node has a skin but its mesh has no JOINTS_0/WEIGHTS_0 attributes")
	case nd.Skin == nil && skinned:
		v.rep.addf(SeverityWarning, "NODE_SKINNED_MESH_WITHOUT_SKIN", p, "the node's mesh is skinned but the node has no skin")
	}
	if nd.Skin != nil && *nd.Skin >= 0 && *nd.Skin < len(v.doc.Skins) {
		joints := len(v.doc.Skins[*nd.Skin].Joints)
		for _, pr := range m.Primitives {
			for name, acc := range pr.Attributes {
				if base, _ := semanticBase(name); base == "JOINTS" && acc >= 0 && acc < len(v.doc.Accessors) {
					if prev, ok := v.joints[acc]; !ok || joints < prev {
						v.joints[acc] = joints
					}
				}
			}
		}
	}
}

func (v *validator) transform(nd *Node, p string) {
	if nd.Matrix != nil {
		if nd.Translation != nil || nd.Rotation != nil || nd.Scale != nil {
			v.rep.addf(SeverityError, "NODE_MATRIX_TRS", p, "a node can have a matrix or translation/rotation/scale, not both")
		}
		if !decomposable(nd.Matrix) {
			v.rep.addf(SeverityError, "NODE_MATRIX_NON_TRS", p+"/matrix", "the matrix is not a translation × rotation × scale (it has shear or projection)")
		}
	}
	if r := nd.Rotation; r != nil {
		l := math.Sqrt(r[0]*r[0] + r[1]*r[1] + r[2]*r[2] + r[3]*r[3])
		if math.Abs(l-1) > quatTolerance {
			v.rep.addf(SeverityError, "ROTATION_NON_UNIT", p+"/rotation", "the rotation quaternion has length %g; it must be normalized", l)
		}
	}
}

// decomposable reports whether a column-major matrix is T·R·S: last row
// (0,0,0,1) and mutually orthogonal basis columns.
func decomposable(m *[16]float64) bool {
	for _, x := range m {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	if m[3] != 0 || m[7] != 0 || m[11] != 0 || m[15] != 1 {
		return false
	}
	cols := [3][3]float64{{m[0], m[1], m[2]}, {m[4], m[5], m[6]}, {m[8], m[9], m[10]}}
	var ln [3]float64
	for i, c := range cols {
		ln[i] = math.Sqrt(c[0]*c[0] + c[1]*c[1] + c[2]*c[2])
	}
	for i := 0; i < 3; i++ {
		for j := i + 1; j < 3; j++ {
			if ln[i] == 0 || ln[j] == 0 {
				continue // a zero scale is decomposable
			}
			dot := cols[i][0]*cols[j][0] + cols[i][1]*cols[j][1] + cols[i][2]*cols[j][2]
			if math.Abs(dot/(ln[i]*ln[j])) > 1e-3 {
				return false
			}
		}
	}
	return true
}

func (v *validator) scenes() {
	for i, s := range v.doc.Scenes {
		for j, n := range s.Nodes {
			p := ptr("scenes", i, "nodes", j)
			if v.ref(p, n, len(v.doc.Nodes), "node") && v.declaredParent[n] >= 0 {
				v.rep.addf(SeverityError, "SCENE_NON_ROOT_NODE", p, "node %d is a child of node %d, so it cannot be a root of the scene", n, v.declaredParent[n])
			}
		}
	}
}

// root returns the top ancestor of node n.
func (v *validator) rootOf(n int) int {
	for steps := 0; v.parent[n] >= 0 && steps <= len(v.parent); steps++ {
		n = v.parent[n]
	}
	return n
}

// isAncestor reports whether a is n or one of its ancestors.
func (v *validator) isAncestor(a, n int) bool {
	for steps := 0; n >= 0 && steps <= len(v.parent); steps++ {
		if n == a {
			return true
		}
		n = v.parent[n]
	}
	return false
}

func (v *validator) skins() {
	for i, s := range v.doc.Skins {
		p := ptr("skins", i)
		root, rootOK := -1, true
		valid := 0
		for j, jn := range s.Joints {
			if !v.ref(ptr("skins", i, "joints", j), jn, len(v.doc.Nodes), "node") {
				continue
			}
			valid++
			r := v.rootOf(jn)
			if root >= 0 && r != root {
				rootOK = false
			}
			root = r
		}
		if !rootOK {
			v.rep.addf(SeverityError, "SKIN_NO_COMMON_ROOT", p+"/joints", "the joints of this skin do not share a common root node")
		}
		if s.Skeleton != nil && v.ref(p+"/skeleton", *s.Skeleton, len(v.doc.Nodes), "node") && rootOK && valid == len(s.Joints) {
			for _, jn := range s.Joints {
				if !v.isAncestor(*s.Skeleton, jn) {
					v.rep.addf(SeverityError, "SKIN_SKELETON_INVALID", p+"/skeleton", "the skeleton node %d is not an ancestor of every joint", *s.Skeleton)
					break
				}
			}
		}
		if s.InverseBindMatrices != nil {
			ip := p + "/inverseBindMatrices"
			if !v.ref(ip, *s.InverseBindMatrices, len(v.doc.Accessors), "accessor") {
				continue
			}
			a := &v.doc.Accessors[*s.InverseBindMatrices]
			v.markAccessor(ip, *s.InverseBindMatrices, useIBM)
			if a.Type != TypeMat4 || a.ComponentType != ComponentFloat || a.Normalized {
				v.rep.addf(SeverityError, "SKIN_IBM_INVALID_FORMAT", ip, "inverse bind matrices must be MAT4/FLOAT, not %s", fmtAccessor(a))
			}
			if a.Count < len(s.Joints) {
				v.rep.addf(SeverityError, "INVALID_IBM_ACCESSOR_COUNT", ip, "the skin has %d joints but only %d inverse bind matrices", len(s.Joints), a.Count)
			}
		}
	}
}

func (v *validator) cameras() {
	for i, c := range v.doc.Cameras {
		p := ptr("cameras", i)
		if o := c.Orthographic; o != nil {
			if o.Zfar <= o.Znear {
				v.rep.addf(SeverityError, "CAMERA_ZFAR_LEQUAL_ZNEAR", p+"/orthographic", "zfar %g must be greater than znear %g", o.Zfar, o.Znear)
			}
			if o.Xmag == 0 || o.Ymag == 0 {
				v.rep.addf(SeverityError, "CAMERA_XMAG_YMAG_ZERO", p+"/orthographic", "xmag and ymag must not be zero")
			} else if o.Xmag < 0 || o.Ymag < 0 {
				v.rep.addf(SeverityWarning, "CAMERA_XMAG_YMAG_NEGATIVE", p+"/orthographic", "xmag and ymag should not be negative")
			}
		}
		if ps := c.Perspective; ps != nil {
			if ps.Zfar != nil && *ps.Zfar <= ps.Znear {
				v.rep.addf(SeverityError, "CAMERA_ZFAR_LEQUAL_ZNEAR", p+"/perspective", "zfar %g must be greater than znear %g", *ps.Zfar, ps.Znear)
			}
			if ps.Yfov >= math.Pi {
				v.rep.addf(SeverityWarning, "CAMERA_YFOV_GEQUAL_PI", p+"/perspective/yfov", "yfov %g should be less than π", ps.Yfov)
			}
		}
	}
}
