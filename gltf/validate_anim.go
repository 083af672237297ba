package gltf

import "strconv"

// Allowed animation output formats per target path.
var animOutputFormats = map[string][]format{
	"translation": fFloat3,
	"scale":       fFloat3,
	"rotation": {{TypeVec4, ComponentFloat, false}, {TypeVec4, ComponentByte, true}, {TypeVec4, ComponentUnsignedByte, true},
		{TypeVec4, ComponentShort, true}, {TypeVec4, ComponentUnsignedShort, true}},
	"weights": {{TypeScalar, ComponentFloat, false}, {TypeScalar, ComponentByte, true}, {TypeScalar, ComponentUnsignedByte, true},
		{TypeScalar, ComponentShort, true}, {TypeScalar, ComponentUnsignedShort, true}},
}

func (v *validator) animations() {
	d := v.doc
	for ai := range d.Animations {
		an := &d.Animations[ai]
		ap := ptr("animations", ai)
		// Samplers: input keyframe times.
		inputCount := make([]int, len(an.Samplers))
		for si, s := range an.Samplers {
			sp := ap + "/samplers/" + strconv.Itoa(si)
			inputCount[si] = -1
			if v.ref(sp+"/input", s.Input, len(d.Accessors), "accessor") {
				a := &d.Accessors[s.Input]
				v.markAccessor(sp+"/input", s.Input, useAnimInput)
				if a.Type != TypeScalar || a.ComponentType != ComponentFloat || a.Normalized {
					v.rep.addf(SeverityError, "ANIMATION_SAMPLER_INPUT_ACCESSOR_INVALID_FORMAT", sp+"/input", "keyframe times must be SCALAR/FLOAT, not %s", fmtAccessor(a))
				}
				if a.Min == nil || a.Max == nil {
					v.rep.addf(SeverityError, "ANIMATION_SAMPLER_INPUT_ACCESSOR_WITHOUT_BOUNDS", sp+"/input", "the keyframe time accessor must define min and max")
				}
				inputCount[si] = a.Count
				if s.Interpolation == "CUBICSPLINE" && a.Count < 2 {
					v.rep.addf(SeverityError, "ANIMATION_SAMPLER_INPUT_ACCESSOR_TOO_FEW_ELEMENTS", sp+"/input", "CUBICSPLINE interpolation needs at least 2 keyframes, found %d", a.Count)
				}
			}
			if v.ref(sp+"/output", s.Output, len(d.Accessors), "accessor") {
				v.markAccessor(sp+"/output", s.Output, useAnimOutput)
			}
		}
		type target struct {
			node int
			path string
		}
		seen := map[target]int{}
		for ci, ch := range an.Channels {
			cp := ap + "/channels/" + strconv.Itoa(ci)
			okSampler := v.ref(cp+"/sampler", ch.Sampler, len(an.Samplers), "animation sampler")
			path := ch.Target.Path
			if ch.Target.Node == nil {
				continue // an extension targets something else; nothing to check here
			}
			node := *ch.Target.Node
			if !v.ref(cp+"/target/node", node, len(d.Nodes), "node") {
				continue
			}
			t := target{node, path}
			if prev, dup := seen[t]; dup {
				v.rep.addf(SeverityError, "ANIMATION_DUPLICATE_TARGETS", cp+"/target", "channel %d already animates %s of node %d", prev, path, node)
			}
			seen[t] = ci
			nd := &d.Nodes[node]
			targets := 0
			if nd.Mesh != nil && *nd.Mesh >= 0 && *nd.Mesh < len(d.Meshes) && len(d.Meshes[*nd.Mesh].Primitives) > 0 {
				targets = len(d.Meshes[*nd.Mesh].Primitives[0].Targets)
			}
			switch path {
			case "translation", "rotation", "scale":
				if nd.Matrix != nil {
					v.rep.addf(SeverityError, "ANIMATION_CHANNEL_TARGET_NODE_MATRIX", cp+"/target", "node %d has a matrix, so its %s cannot be animated", node, path)
				}
			case "weights":
				if targets == 0 {
					v.rep.addf(SeverityError, "ANIMATION_CHANNEL_TARGET_NODE_WEIGHTS_NO_MORPHS", cp+"/target", "node %d has no morph targets to animate", node)
				}
			}
			if !okSampler {
				continue
			}
			s := an.Samplers[ch.Sampler]
			v.animOutput(ap+"/samplers/"+strconv.Itoa(ch.Sampler)+"/output", s, path, inputCount[ch.Sampler], targets)
		}
	}
}

// animOutput checks an output accessor against the channel's path and the
// number of keyframes.
func (v *validator) animOutput(p string, s AnimationSampler, path string, keys, targets int) {
	if s.Output < 0 || s.Output >= len(v.doc.Accessors) {
		return
	}
	a := &v.doc.Accessors[s.Output]
	list, known := animOutputFormats[path]
	if !known {
		return
	}
	if !hasFormat(list, a) {
		v.rep.addf(SeverityError, "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_FORMAT", p, "format %s cannot animate %s", fmtAccessor(a), path)
		return
	}
	if path == "rotation" {
		v.rotations[s.Output] = true
	}
	if keys < 0 {
		return
	}
	want := keys
	if s.Interpolation == "CUBICSPLINE" {
		want *= 3 // in-tangent, value, out-tangent
	}
	if path == "weights" {
		want *= targets
	}
	if a.Count != want {
		v.rep.addf(SeverityError, "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT", p, "the output has %d elements; %d keyframes need %d", a.Count, keys, want)
	}
}
