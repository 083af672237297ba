package gltf

// Accessor component types (the GL enums the spec uses).
const (
	ComponentByte          = 5120
	ComponentUnsignedByte  = 5121
	ComponentShort         = 5122
	ComponentUnsignedShort = 5123
	ComponentUnsignedInt   = 5125
	ComponentFloat         = 5126
)

// Accessor element types.
const (
	TypeScalar = "SCALAR"
	TypeVec2   = "VEC2"
	TypeVec3   = "VEC3"
	TypeVec4   = "VEC4"
	TypeMat2   = "MAT2"
	TypeMat3   = "MAT3"
	TypeMat4   = "MAT4"
)

// Primitive topology modes.
const (
	ModePoints        = 0
	ModeLines         = 1
	ModeLineLoop      = 2
	ModeLineStrip     = 3
	ModeTriangles     = 4
	ModeTriangleStrip = 5
	ModeTriangleFan   = 6
)

// Buffer view targets.
const (
	TargetArrayBuffer        = 34962
	TargetElementArrayBuffer = 34963
)

// Material alpha modes.
const (
	AlphaOpaque = "OPAQUE"
	AlphaMask   = "MASK"
	AlphaBlend  = "BLEND"
)

// Sampler filters and wraps.
const (
	FilterNearest              = 9728
	FilterLinear               = 9729
	FilterNearestMipmapNearest = 9984
	FilterLinearMipmapNearest  = 9985
	FilterNearestMipmapLinear  = 9986
	FilterLinearMipmapLinear   = 9987
	WrapClampToEdge            = 33071
	WrapMirroredRepeat         = 33648
	WrapRepeat                 = 10497
)

// ComponentSize returns the byte size of one component of the given type,
// or 0 for an unknown type.
func ComponentSize(componentType int) int {
	switch componentType {
	case ComponentByte, ComponentUnsignedByte:
		return 1
	case ComponentShort, ComponentUnsignedShort:
		return 2
	case ComponentUnsignedInt, ComponentFloat:
		return 4
	}
	return 0
}

// ComponentCount returns the number of components of an element type
// ("VEC3" → 3, "MAT4" → 16), or 0 for an unknown type.
func ComponentCount(typ string) int {
	switch typ {
	case TypeScalar:
		return 1
	case TypeVec2:
		return 2
	case TypeVec3:
		return 3
	case TypeVec4, TypeMat2:
		return 4
	case TypeMat3:
		return 9
	case TypeMat4:
		return 16
	}
	return 0
}

// ElementSize returns the byte size of one element of an accessor,
// including the column padding that matrices of 1- and 2-byte components
// need (each column starts on a 4-byte boundary), or 0 when the type or the
// component type is unknown.
func ElementSize(typ string, componentType int) int {
	cs := ComponentSize(componentType)
	switch {
	case cs == 0:
		return 0
	case typ == TypeMat2 && cs == 1:
		return 8 // 2 columns of 2 bytes, each padded to 4
	case typ == TypeMat3 && cs == 1:
		return 12 // 3 columns of 3 bytes, each padded to 4
	case typ == TypeMat3 && cs == 2:
		return 24 // 3 columns of 6 bytes, each padded to 8
	}
	return cs * ComponentCount(typ)
}

// Ptr returns a pointer to v, for filling the optional fields of the model.
func Ptr[T any](v T) *T { return &v }
