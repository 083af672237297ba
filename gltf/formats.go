package gltf

// format is an allowed accessor format for an attribute.
type format struct {
	typ   string
	ctype int
	norm  bool
}

var (
	fFloat2 = []format{{TypeVec2, ComponentFloat, false}}
	fFloat3 = []format{{TypeVec3, ComponentFloat, false}}
	fFloat4 = []format{{TypeVec4, ComponentFloat, false}}
	// Core formats per semantic (glTF 2.0 spec, "Meshes").
	coreFormats = map[string][]format{
		"POSITION": fFloat3,
		"NORMAL":   fFloat3,
		"TANGENT":  fFloat4,
		"TEXCOORD": append(fFloat2[:1:1], format{TypeVec2, ComponentUnsignedByte, true}, format{TypeVec2, ComponentUnsignedShort, true}),
		"COLOR": {{TypeVec3, ComponentFloat, false}, {TypeVec3, ComponentUnsignedByte, true}, {TypeVec3, ComponentUnsignedShort, true},
			{TypeVec4, ComponentFloat, false}, {TypeVec4, ComponentUnsignedByte, true}, {TypeVec4, ComponentUnsignedShort, true}},
		"JOINTS":  {{TypeVec4, ComponentUnsignedByte, false}, {TypeVec4, ComponentUnsignedShort, false}},
		"WEIGHTS": {{TypeVec4, ComponentFloat, false}, {TypeVec4, ComponentUnsignedByte, true}, {TypeVec4, ComponentUnsignedShort, true}},
	}
	// Extra formats KHR_mesh_quantization allows.
	quantFormats = map[string][]format{
		"POSITION": intFormats(TypeVec3, true, true),
		"NORMAL":   {{TypeVec3, ComponentByte, true}, {TypeVec3, ComponentShort, true}},
		"TANGENT":  {{TypeVec4, ComponentByte, true}, {TypeVec4, ComponentShort, true}},
		"TEXCOORD": intFormats(TypeVec2, true, true),
	}
	// Morph target formats: float, or with KHR_mesh_quantization (signed)
	// integers, normalized or not.
	targetFormats = map[string][]format{"POSITION": fFloat3, "NORMAL": fFloat3, "TANGENT": fFloat3}
	targetQuant   = map[string][]format{
		"POSITION": intFormats(TypeVec3, false, true),
		"NORMAL":   {{TypeVec3, ComponentByte, true}, {TypeVec3, ComponentShort, true}},
		"TANGENT":  {{TypeVec3, ComponentByte, true}, {TypeVec3, ComponentShort, true}},
	}
)

// intFormats lists byte and short formats, normalized or not.
func intFormats(typ string, unsigned, signed bool) []format {
	var out []format
	for _, norm := range []bool{false, true} {
		if signed {
			out = append(out, format{typ, ComponentByte, norm}, format{typ, ComponentShort, norm})
		}
		if unsigned {
			out = append(out, format{typ, ComponentUnsignedByte, norm}, format{typ, ComponentUnsignedShort, norm})
		}
	}
	return out
}

func hasFormat(list []format, a *Accessor) bool {
	for _, f := range list {
		if f.typ == a.Type && f.ctype == a.ComponentType && f.norm == a.Normalized {
			return true
		}
	}
	return false
}
