// Package gltf reads, validates, inspects and writes glTF 2.0 assets: binary
// GLB files, .gltf JSON with embedded data URIs, and .zip archives holding a
// .gltf with its .bin buffers and textures.
//
// Every 3D feature of Luneo (AR conversion, renders, the widget preview,
// production files) goes through this package, so it is strict in the same
// places as the Khronos glTF-Validator (its issue codes are reused, so a report
// can be compared with the reference one) and defensive everywhere else: no
// input may make it panic, follow a path or URL outside the file it was given,
// or allocate memory from a length that the file merely claims.
//
// The usual flow is
//
//	doc, err := gltf.ReadFile("chair.glb")        // read + validate
//	var verr *gltf.ValidationError                 // errors.As(err, &verr) lists issues
//	issues := gltf.Undrawable(doc)                 // valid, but data missing or unreadable?
//	st := gltf.Stats(doc)                          // triangles, textures, size in metres
//	err = gltf.WriteGLB(w, doc)                    // one self-contained GLB
//
// The document model mirrors the glTF JSON one to one. Properties whose spec
// default is not Go's zero value (mode, alphaCutoff, factors, sampler filters…)
// and every index reference are pointers, so "absent" and "explicitly set"
// stay distinct through a round trip; properties whose default is zero
// (byteOffset, normalized, doubleSided, texCoord) are plain values, because an
// explicit zero and an absent one mean the same thing. Unknown extensions and
// extras are kept as raw JSON on every object.
package gltf
