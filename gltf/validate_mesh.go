package gltf

import (
	"regexp"
	"sort"
	"strconv"
)

var indexedSemantic = regexp.MustCompile(`^(TEXCOORD|COLOR|JOINTS|WEIGHTS)_(0|[1-9][0-9]*)$`)

// semanticBase returns "TEXCOORD" for "TEXCOORD_3", the name itself for
// POSITION/NORMAL/TANGENT, "" for an invalid name and "_" for custom ones.
func semanticBase(name string) (string, int) {
	switch name {
	case "POSITION", "NORMAL", "TANGENT":
		return name, 0
	}
	if len(name) > 0 && name[0] == '_' {
		return "_", 0
	}
	if m := indexedSemantic.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[2])
		return m[1], n
	}
	return "", 0
}

func (v *validator) meshes() {
	for mi := range v.doc.Meshes {
		m := &v.doc.Meshes[mi]
		targets := -1
		for pi := range m.Primitives {
			p := ptr("meshes", mi, "primitives", pi)
			pr := &m.Primitives[pi]
			v.primitive(mi, pr, p)
			if targets >= 0 && len(pr.Targets) != targets {
				v.rep.addf(SeverityError, "MESH_PRIMITIVES_UNEQUAL_TARGETS_COUNT", p+"/targets", "all primitives of a mesh must have the same number of morph targets")
			}
			targets = len(pr.Targets)
		}
		if len(m.Primitives) == 0 {
			v.rep.addf(SeverityError, "EMPTY_ENTITY", ptr("meshes", mi, "primitives"), "a mesh needs at least one primitive")
		}
		if m.Weights != nil && targets >= 0 && len(m.Weights) != targets {
			v.rep.addf(SeverityError, "MESH_INVALID_WEIGHTS_COUNT", ptr("meshes", mi, "weights"), "the mesh has %d weights for %d morph targets", len(m.Weights), targets)
		}
	}
}

func (v *validator) primitive(mi int, pr *Primitive, p string) {
	d := v.doc
	vertexCount := -1
	sets := map[string][]int{}
	var weightAccs []int
	names := make([]string, 0, len(pr.Attributes))
	for name := range pr.Attributes {
		names = append(names, name)
	}
	sort.Strings(names) // stable report order
	for _, name := range names {
		idx := pr.Attributes[name]
		ap := p + "/attributes/" + escapeKey(name)
		base, n := semanticBase(name)
		if base == "" {
			v.rep.addf(SeverityError, "MESH_PRIMITIVE_INVALID_ATTRIBUTE", ap, "%q is not a glTF attribute name (custom attributes must start with an underscore)", name)
		}
		if !v.ref(ap, idx, len(d.Accessors), "accessor") {
			continue
		}
		a := &d.Accessors[idx]
		v.markAccessor(ap, idx, useVertex)
		if vertexCount >= 0 && a.Count != vertexCount {
			v.rep.addf(SeverityError, "MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT", ap, "this attribute has %d elements but others of the primitive have %d", a.Count, vertexCount)
		}
		if vertexCount < 0 || a.Count < vertexCount {
			vertexCount = a.Count
		}
		if a.ComponentType == ComponentUnsignedInt {
			v.rep.addf(SeverityError, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_UNSIGNED_INT", ap, "vertex attributes cannot use UNSIGNED_INT components")
		} else if base != "" && base != "_" && !hasFormat(coreFormats[base], a) {
			if v.quantized && hasFormat(quantFormats[base], a) {
				v.usedQuant = true
			} else {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", ap, "accessor format %s is not allowed for %s%s", fmtAccessor(a), name, quantHint(v.quantized, quantFormats[base], a))
			}
		}
		if a.BufferView != nil && *a.BufferView >= 0 && *a.BufferView < len(d.BufferViews) {
			bv := &d.BufferViews[*a.BufferView]
			if a.ByteOffset%4 != 0 || bv.ByteStride%4 != 0 {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_ACCESSOR_UNALIGNED", ap, "vertex attribute data must be aligned to 4 bytes (byteOffset %d, byteStride %d)", a.ByteOffset, bv.ByteStride)
			}
		}
		switch base {
		case "POSITION":
			// min and max of the wrong length (or of an unknown type) are
			// as good as absent: viewers cannot use them for bounds.
			if n := ComponentCount(a.Type); n == 0 || len(a.Min) != n || len(a.Max) != n {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS", ap, "the POSITION accessor must define min and max, one value per component")
			}
		case "NORMAL":
			v.normals[idx] = true
		case "TANGENT":
			v.tangents[idx] = true
		case "TEXCOORD", "COLOR", "JOINTS", "WEIGHTS":
			sets[base] = append(sets[base], n)
			if base == "WEIGHTS" {
				weightAccs = append(weightAccs, idx)
			}
		}
	}
	if _, ok := pr.Attributes["POSITION"]; !ok {
		v.rep.addf(SeverityWarning, "MESH_PRIMITIVE_NO_POSITION", p+"/attributes", "the primitive has no POSITION attribute")
	}
	if _, ok := pr.Attributes["TANGENT"]; ok {
		if _, ok := pr.Attributes["NORMAL"]; !ok {
			v.rep.addf(SeverityWarning, "MESH_PRIMITIVE_TANGENT_WITHOUT_NORMAL", p+"/attributes", "TANGENT is given without NORMAL")
		}
	}
	for base, ns := range sets {
		sort.Ints(ns)
		for i, n := range ns {
			if n != i {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_INDEXED_SEMANTIC_CONTINUITY", p+"/attributes", "%s sets must be numbered from 0 without gaps (found %s_%d)", base, base, n)
				break
			}
		}
	}
	if len(sets["JOINTS"]) != len(sets["WEIGHTS"]) {
		v.rep.addf(SeverityError, "MESH_PRIMITIVE_JOINTS_WEIGHTS_MISMATCH", p+"/attributes", "the primitive has %d JOINTS sets but %d WEIGHTS sets", len(sets["JOINTS"]), len(sets["WEIGHTS"]))
	}
	if len(weightAccs) > 0 {
		v.weights = append(v.weights, weightAccs)
	}
	v.indices(pr, p, vertexCount)
	v.primitiveMaterial(pr, p)
	v.targets(pr, p)
	v.variants(pr, p)
}

// quantHint tells the user about KHR_mesh_quantization when it would make
// the format valid.
func quantHint(quantized bool, list []format, a *Accessor) string {
	if !quantized && hasFormat(list, a) {
		return " without the KHR_mesh_quantization extension (list it in extensionsUsed and extensionsRequired)"
	}
	return ""
}

func (v *validator) indices(pr *Primitive, p string, vertexCount int) {
	mode := pr.ModeOrDefault()
	count := vertexCount
	if pr.Indices != nil {
		ip := p + "/indices"
		idx := *pr.Indices
		if !v.ref(ip, idx, len(v.doc.Accessors), "accessor") {
			return
		}
		a := &v.doc.Accessors[idx]
		v.markAccessor(ip, idx, useIndex)
		if a.Type != TypeScalar || a.Normalized || (a.ComponentType != ComponentUnsignedByte && a.ComponentType != ComponentUnsignedShort && a.ComponentType != ComponentUnsignedInt) {
			v.rep.addf(SeverityError, "MESH_PRIMITIVE_INDICES_ACCESSOR_INVALID_FORMAT", ip, "indices must be SCALAR unsigned bytes, shorts or ints, not %s", fmtAccessor(a))
		}
		if vertexCount >= 0 {
			if prev, ok := v.indexUses[idx]; !ok || vertexCount < prev {
				v.indexUses[idx] = vertexCount
			}
		}
		count = a.Count
	}
	if count < 0 {
		return
	}
	ok := true
	switch mode {
	case ModePoints:
		ok = count >= 1
	case ModeLines:
		ok = count >= 2 && count%2 == 0
	case ModeLineLoop, ModeLineStrip:
		ok = count >= 2
	case ModeTriangles:
		ok = count >= 3 && count%3 == 0
	case ModeTriangleStrip, ModeTriangleFan:
		ok = count >= 3
	}
	if !ok {
		v.rep.addf(SeverityWarning, "MESH_PRIMITIVE_INCOMPATIBLE_MODE", p, "%d vertices or indices do not make whole primitives in mode %d", count, mode)
	}
}

func (v *validator) targets(pr *Primitive, p string) {
	for ti, t := range pr.Targets {
		for name, idx := range t {
			tp := p + "/targets/" + strconv.Itoa(ti) + "/" + escapeKey(name)
			if !v.ref(tp, idx, len(v.doc.Accessors), "accessor") {
				continue
			}
			a := &v.doc.Accessors[idx]
			v.markAccessor(tp, idx, useVertex)
			base, ok := pr.Attributes[name]
			if !ok {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_MORPH_TARGET_NO_BASE_ACCESSOR", tp, "the primitive has no %s attribute for this morph target to modify", name)
			} else if base >= 0 && base < len(v.doc.Accessors) && v.doc.Accessors[base].Count != a.Count {
				v.rep.addf(SeverityError, "MESH_PRIMITIVE_MORPH_TARGET_INVALID_ATTRIBUTE_COUNT", tp, "the morph target has %d elements but the base attribute has %d", a.Count, v.doc.Accessors[base].Count)
			}
			if list, known := targetFormats[name]; known && !hasFormat(list, a) {
				if v.quantized && hasFormat(targetQuant[name], a) {
					v.usedQuant = true
				} else {
					v.rep.addf(SeverityError, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", tp, "accessor format %s is not allowed for morph target %s", fmtAccessor(a), name)
				}
			}
		}
	}
}

// variants checks KHR_materials_variants mappings of a primitive.
func (v *validator) variants(pr *Primitive, p string) {
	if _, ok := pr.Extensions[ExtMaterialsVariants]; !ok {
		return
	}
	maps, err := pr.VariantMappings()
	if err != nil {
		return // the JSON checker reported the structure
	}
	all, _ := v.doc.Variants()
	seen := map[int]bool{}
	for mi, m := range maps {
		mp := p + "/extensions/" + ExtMaterialsVariants + "/mappings/" + strconv.Itoa(mi)
		v.ref(mp+"/material", m.Material, len(v.doc.Materials), "material")
		for vi, vr := range m.Variants {
			vp := mp + "/variants/" + strconv.Itoa(vi)
			if !v.ref(vp, vr, len(all), "material variant") {
				continue
			}
			if seen[vr] {
				v.rep.addf(SeverityError, "KHR_MATERIALS_VARIANTS_NON_UNIQUE_VARIANT", vp, "variant %d is mapped more than once for this primitive", vr)
			}
			seen[vr] = true
		}
	}
}
