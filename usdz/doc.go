// Package usdz converts glTF 2.0 documents (read with package gltf) into
// USDZ packages that Apple's AR Quick Look displays as the glTF would look.
//
//	pkg, err := usdz.Convert(ctx, doc, usdz.Options{}) // AR Quick Look defaults
//	os.WriteFile("chair.usdz", pkg.Bytes, 0o644)     // serve as model/vnd.usdz+zip
//	for _, w := range pkg.Warnings { … }            // what could not be kept
//	err = usdz.Check(f, size)                         // layout rules of any .usdz
//
// # Package
//
// A zip whose entries are all stored (no compression), each file's data at a
// multiple of 64 bytes from the start (the local headers are padded with an
// extra field), the root layer model.usda first, then the textures under
// textures/ (PNG or JPEG), sizes and CRCs in the local headers and no data
// descriptors, relative paths only, and fixed timestamps so that the same
// input gives the same bytes.
//
// # Stage
//
// The root layer is USD text: defaultPrim "Root" (an Xform of kind
// component), metersPerUnit = 1 and upAxis = "Y", glTF's own units and
// axes. Each node of the default scene becomes an Xform with its transform
// (a matrix4d xformOp:transform, omitted when it is the identity), named
// after the node (ASCII letters, digits and underscores; made unique among
// siblings). Each drawn primitive becomes its own Mesh prim, bound to its
// own material: one Mesh per primitive rather than one Mesh with
// GeomSubsets, because primitives may have different attributes (UV sets,
// normals or not) and one Mesh per draw is what every USD reader handles
// the same way. A mesh used by several nodes is written once per node. The
// materials are under /Root/Materials.
//
// Meshes carry points, normals (per vertex; flat per face corner when the
// glTF has none, since glTF then asks for flat shading), texture coordinates
// as primvars:st, st1… with V flipped (t = 1 − v), triangles (strips and
// fans are unrolled) and an extent. Unused vertices are dropped; integer
// (KHR_mesh_quantization) attributes are dequantized, and quantized
// positions keep their node transforms, which scale them back. Morph
// targets are baked at their default weights.
//
// Mirrored transforms (a negative determinant) turn triangles inside out,
// and readers disagree on the fix: AR Quick Look ignores the Mesh
// orientation attribute ("leftHanded"). So no Xform in the output mirrors:
// a node whose matrix mirrors has a mirror along X moved out of its
// transform into its geometry (X negated, winding reversed) and into its
// children's transforms. World-space positions are unchanged; the matrices
// of mirrored subtrees differ from the glTF's by that mirror.
//
// # Materials
//
// Each glTF material becomes a UsdPreviewSurface fed by UsdUVTexture and
// UsdPrimvarReader_float2 shaders: base colour (factor as value, or as the
// texture's scale), metallic and roughness (glTF's packed texture read by
// channel, the UsdUVTexture's g output for roughness and b for metallic;
// the occlusion map is the r output of its image, the same image or not;
// Options.SplitChannels writes grayscale copies instead),
// normal map (scale (2s, 2s, 2, 1) and bias (−s, −s, −1, 0) with s the
// glTF normal scale), occlusion (strength as scale and bias), emissive
// (times KHR_materials_emissive_strength), opacity from the base colour
// alpha for BLEND and MASK, opacityThreshold for MASK, and
// KHR_texture_transform as UsdTransform2d, converted to USD's flipped
// texture space. KHR_materials_unlit materials emit their colour and are
// black to lighting. Double-sided materials get real back faces (copied
// vertices with negated normals and reversed winding): AR Quick Look ignores
// USD's doubleSided. Primitives without a material get glTF's default one.
//
// Textures larger than Options.MaxTextureSize (2048 by default, Apple's
// guidance) are scaled down with the gltf package's resampler. Split
// channels (SplitChannels) are grayscale images in their source's format
// (PNG stays lossless, JPEG stays small); other images are copied
// unchanged, undecoded, and images with identical bytes are stored once.
//
// # Retexture
//
// A design changes a material's base-colour image, not geometry:
//
//	out, err := usdz.Retexture(cached, []usdz.Swap{{Material: 2, Data: png, TexCoord: 0}})
//
// rewrites only the Materials scope of the cached package's root layer and
// lays the zip out again (milliseconds, whatever the geometry). The
// converter marks what it needs (see matmeta.go): the glTF material count
// and MaxTextureSize in customLayerData (luneoMaterials,
// luneoMaxTextureSize), and on each Material prim a customData dictionary
// with its glTF index (luneoMaterial), the UV sets all its meshes have
// (luneoUVSets) and the input its base colour feeds
// (luneoBaseColorInput). Swapped images are stored as
// textures/swap_<crc32>.png or .jpg, unchanged.
//
// # Warnings
//
// Convert never fails on a valid glTF: what it leaves out or changes is
// listed in Package.Warnings — line and point primitives, animations, skins,
// material variants, unknown extensions, vertex colours (ignored by AR
// Quick Look; only reported when not white), scaled-down or unusable
// images, and a triangle count over Apple's 100,000 guidance.
package usdz
