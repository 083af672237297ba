package usdz

import (
	"strconv"

	"github.com/luneo/luneo/gltf"
)

// Prim paths of the stage's fixed parts.
const (
	rootName      = "Root"
	rootPath      = "/" + rootName
	materialsName = "Materials"
	materialsPath = rootPath + "/" + materialsName
)

// writeStage writes the whole root layer: metadata, the node hierarchy
// under /Root, then the materials the meshes use under /Root/Materials.
func (c *converter) writeStage() {
	u := &c.u
	u.b = append(u.b, "#usda 1.0\n("...)
	u.indent++
	u.linef(`customLayerData = {`)
	u.indent++
	u.linef(`string creator = "`, creatorPrefix, Version, `"`)
	// What Retexture needs to judge a swap without the glTF.
	u.linef(`int luneoMaterials = `, itoa(len(c.doc.Materials)))
	u.linef(`int luneoMaxTextureSize = `, itoa(c.opts.MaxTextureSize))
	u.indent--
	u.linef(`}`)
	u.linef(`defaultPrim = "`, rootName, `"`)
	u.linef(`metersPerUnit = 1`)
	u.linef(`upAxis = "Y"`)
	u.indent--
	u.linef(")\n")

	u.linef(`def Xform "`, rootName, `" (`)
	u.indent++
	u.linef(`kind = "component"`)
	u.indent--
	u.linef(`)`)
	u.linef(`{`)
	u.indent++
	siblings := names{materialsName: true}
	visited := make([]bool, len(c.doc.Nodes))
	for _, n := range c.doc.SceneRoots() {
		c.writeNode(n, false, siblings, visited)
	}
	c.writeMaterials()
	u.close()
	u.b = append(u.b, '\n')
}

// writeNode writes node idx as an Xform with its transform, a Mesh prim
// per primitive of its mesh, and its children.
//
// Mirroring: a transform with a negative determinant turns triangles
// inside out, and renderers disagree on how to compensate (AR Quick Look
// ignores the Mesh `orientation` attribute). So no Xform of the output has
// a negative determinant: when a node's local matrix mirrors, a mirror
// along X is moved from its transform into its geometry (points and
// normals negated in X, winding reversed) and into its children's
// transforms (conjugated), which keeps every world position exact.
// parentMirrored says that the parent's emitted transform lacks that
// mirror; mirrored, the same for this node.
func (c *converter) writeNode(idx int, parentMirrored bool, siblings names, visited []bool) {
	if idx < 0 || idx >= len(c.doc.Nodes) || visited[idx] {
		return // a bad index, or a node met twice (cycles in an invalid file)
	}
	visited[idx] = true
	n := &c.doc.Nodes[idx]
	local := n.LocalMatrix()
	mirrored := parentMirrored != (det3(local) < 0)
	if parentMirrored {
		local = mirrorRows(local)
	}
	if mirrored {
		local = mirrorColumns(local)
	}
	u := &c.u
	u.linef(`def Xform "`, siblings.unique(primName(n.Name, "Node_"+strconv.Itoa(idx))), `"`)
	u.linef(`{`)
	u.indent++
	if local != gltf.Identity {
		u.linef(`matrix4d xformOp:transform = (`)
		for col := 0; col < 4; col++ {
			if col > 0 {
				u.b = append(u.b, ", "...)
			}
			// USD matrices are row-major for row vectors: its rows are
			// the columns glTF stores, in the same order.
			u.tuple(local[col*4], local[col*4+1], local[col*4+2], local[col*4+3])
		}
		u.b = append(u.b, ')')
		u.linef(`uniform token[] xformOpOrder = ["xformOp:transform"]`)
	}
	children := names{}
	if n.Mesh != nil {
		c.writeMeshes(n, mirrored, children)
	}
	if n.Skin != nil {
		c.warnf("skins are not exported: skinned meshes are shown in their bind pose")
	}
	for _, ch := range n.Children {
		c.writeNode(ch, mirrored, children, visited)
	}
	u.close()
}

// writeMeshes writes a Mesh prim for each primitive of the node's mesh.
func (c *converter) writeMeshes(n *gltf.Node, mirrored bool, siblings names) {
	mi := *n.Mesh
	if mi < 0 || mi >= len(c.doc.Meshes) {
		c.warnf("a node refers to mesh %d, which does not exist", mi)
		return
	}
	m := &c.doc.Meshes[mi]
	weights := n.Weights
	if weights == nil {
		weights = m.Weights
	}
	base := primName(m.Name, "Mesh_"+strconv.Itoa(mi))
	for pi := range m.Primitives {
		pr := &m.Primitives[pi]
		name := base
		if len(m.Primitives) > 1 {
			name += "_" + strconv.Itoa(pi)
		}
		mat := -1
		if pr.Material != nil {
			if *pr.Material >= 0 && *pr.Material < len(c.doc.Materials) {
				mat = *pr.Material
			} else {
				c.warnf("a primitive refers to material %d, which does not exist: the default material is used", *pr.Material)
			}
		}
		doubleSided := mat >= 0 && c.doc.Materials[mat].DoubleSided
		if !c.reserveGeometry(pr, doubleSided) {
			return
		}
		g, ok := c.buildGeometry(pr, weights, mirrored, doubleSided)
		if !ok {
			continue
		}
		c.writeMesh(siblings.unique(name), g, c.materialPath(mat))
		c.noteUVs(mat, g)
	}
}

// det3 is the determinant of the upper-left 3×3 part of m.
func det3(m gltf.Mat4) float64 {
	return m[0]*(m[5]*m[10]-m[6]*m[9]) - m[4]*(m[1]*m[10]-m[2]*m[9]) + m[8]*(m[1]*m[6]-m[2]*m[5])
}

// mirrorRows returns X × m, X the mirror along the X axis: the first row
// of m negated.
func mirrorRows(m gltf.Mat4) gltf.Mat4 {
	m[0], m[4], m[8], m[12] = -m[0], -m[4], -m[8], -m[12]
	return m
}

// mirrorColumns returns m × X: the first column of m negated.
func mirrorColumns(m gltf.Mat4) gltf.Mat4 {
	m[0], m[1], m[2], m[3] = -m[0], -m[1], -m[2], -m[3]
	return m
}
