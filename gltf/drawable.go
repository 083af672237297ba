package gltf

import "fmt"

// Undrawable lists what keeps a valid document from being drawn, converted
// or printed on. The Khronos validator, and so Validate and the readers,
// accept two such kinds of file:
//
//   - a .gltf whose buffers have no uri: the data lives somewhere the
//     reader was not given, so there is nothing to draw (BUFFER_DATA_MISSING);
//   - an accessor whose type or componentType is outside the glTF enums (a
//     "VEC5", a componentType 5124): only a warning for the validator, since
//     extensions may add values, but no viewer can read its data
//     (UNKNOWN_ACCESSOR_TYPE).
//
// Applications that need the data (Luneo's catalog, the converting tools)
// refuse such a document with these issues, after validation, so that a
// broken file still gets the validator's errors first.
func Undrawable(doc *Document) []Issue {
	var issues []Issue
	add := func(code, pointer, format string, args ...any) {
		issues = append(issues, Issue{Code: code, Severity: SeverityError, Pointer: pointer, Message: fmt.Sprintf(format, args...)})
	}
	used := make([]bool, len(doc.Buffers))
	for _, bv := range doc.BufferViews {
		if bv.Buffer >= 0 && bv.Buffer < len(used) {
			used[bv.Buffer] = true
		}
	}
	for i, b := range doc.Buffers {
		if b.Data == nil && used[i] {
			add("BUFFER_DATA_MISSING", ptr("buffers", i),
				"buffer %d has no uri, so its data is not in the file: use a GLB, a .gltf with its buffers embedded as data URIs, or a zip holding the .gltf with its .bin files", i)
		}
	}
	for i, a := range doc.Accessors {
		p := ptr("accessors", i)
		if ComponentCount(a.Type) == 0 {
			add("UNKNOWN_ACCESSOR_TYPE", p+"/type", "accessor %d has type %q, which no viewer can read (glTF types are SCALAR, VEC2…VEC4, MAT2…MAT4): re-export the model", i, a.Type)
		}
		if ComponentSize(a.ComponentType) == 0 {
			add("UNKNOWN_ACCESSOR_TYPE", p+"/componentType", "accessor %d has componentType %d, which no viewer can read (glTF component types are 5120–5123, 5125 and 5126): re-export the model", i, a.ComponentType)
		}
		if s := a.Sparse; s != nil {
			if ct := s.Indices.ComponentType; ct != ComponentUnsignedByte && ct != ComponentUnsignedShort && ct != ComponentUnsignedInt {
				add("UNKNOWN_ACCESSOR_TYPE", p+"/sparse/indices/componentType", "the sparse indices of accessor %d have componentType %d; they must be 5121, 5123 or 5125: re-export the model", i, ct)
			}
		}
	}
	return issues
}
