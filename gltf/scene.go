package gltf

// SceneRoots returns the root nodes of what a viewer shows: the default
// scene's; the first scene's when none is marked default; every parentless
// node when the file has no scenes. Statistics, the USDZ converter and the
// renderer all walk the same nodes.
func (d *Document) SceneRoots() []int {
	switch {
	case d.Scene != nil && *d.Scene >= 0 && *d.Scene < len(d.Scenes):
		return d.Scenes[*d.Scene].Nodes
	case len(d.Scenes) > 0:
		return d.Scenes[0].Nodes
	}
	hasParent := make([]bool, len(d.Nodes))
	for _, n := range d.Nodes {
		for _, c := range n.Children {
			if c >= 0 && c < len(hasParent) {
				hasParent[c] = true
			}
		}
	}
	var roots []int
	for i, p := range hasParent {
		if !p {
			roots = append(roots, i)
		}
	}
	return roots
}
