package catalog

import (
	"fmt"

	"github.com/luneo/luneo/gltf"
)

// renderable refuses a model that is valid glTF but that Luneo cannot draw,
// convert to USDZ or print on. The Khronos validator, and so gltf.Read,
// accepts two such kinds of file:
//
//   - a .gltf whose buffers have no uri: the data lives somewhere the
//     upload does not include, so there is nothing to draw;
//   - an accessor whose type or componentType is outside the glTF enums
//     (a "VEC5", a componentType 5124): a warning for the validator, since
//     extensions may add values, but no viewer can read its data.
//
// readModel calls it after validation, so a broken file still gets the
// validator's errors first; this is a separate 422 with our own codes
// (BUFFER_DATA_MISSING, UNKNOWN_ACCESSOR_TYPE) that say what to fix.
func renderable(doc *gltf.Document) error {
	var issues []gltf.Issue
	add := func(code, pointer, format string, args ...any) {
		issues = append(issues, gltf.Issue{Code: code, Severity: gltf.SeverityError, Pointer: pointer, Message: fmt.Sprintf(format, args...)})
	}
	used := make([]bool, len(doc.Buffers))
	for _, bv := range doc.BufferViews {
		if bv.Buffer >= 0 && bv.Buffer < len(used) {
			used[bv.Buffer] = true
		}
	}
	for i, b := range doc.Buffers {
		if b.Data == nil && used[i] {
			add("BUFFER_DATA_MISSING", fmt.Sprintf("/buffers/%d", i),
				"buffer %d has no uri, so its data is not in the file: upload a GLB, a .gltf with its buffers embedded as data URIs, or a zip holding the .gltf with its .bin files", i)
		}
	}
	for i, a := range doc.Accessors {
		p := fmt.Sprintf("/accessors/%d", i)
		if gltf.ComponentCount(a.Type) == 0 {
			add("UNKNOWN_ACCESSOR_TYPE", p+"/type", "accessor %d has type %q, which no viewer can read (glTF types are SCALAR, VEC2…VEC4, MAT2…MAT4): re-export the model", i, a.Type)
		}
		if gltf.ComponentSize(a.ComponentType) == 0 {
			add("UNKNOWN_ACCESSOR_TYPE", p+"/componentType", "accessor %d has componentType %d, which no viewer can read (glTF component types are 5120–5123, 5125 and 5126): re-export the model", i, a.ComponentType)
		}
		if s := a.Sparse; s != nil && !unsignedIndex(s.Indices.ComponentType) {
			add("UNKNOWN_ACCESSOR_TYPE", p+"/sparse/indices/componentType", "the sparse indices of accessor %d have componentType %d; they must be 5121, 5123 or 5125: re-export the model", i, s.Indices.ComponentType)
		}
	}
	if len(issues) == 0 {
		return nil
	}
	msg := "it is valid glTF but cannot be drawn: " + issues[0].Message
	if len(issues) > 1 {
		msg += fmt.Sprintf(" (and %d more problem(s) of this kind)", len(issues)-1)
	}
	return refused(msg, issues...)
}

// unsignedIndex reports whether ct is a component type sparse indices may use.
func unsignedIndex(ct int) bool {
	return ct == gltf.ComponentUnsignedByte || ct == gltf.ComponentUnsignedShort || ct == gltf.ComponentUnsignedInt
}
