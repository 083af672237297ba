package gltf

import "regexp"

// The glTF 2.0 JSON schema, written as checker specs. A value outside an
// enum (an accessor type "VEC5", a componentType 5124, an alphaMode "FOO")
// is a warning, as in the Khronos validator: the schema is extensible, and
// the checks that need a known value (attribute formats, index formats)
// report their own errors. Whether such a model can be drawn is the
// application's question (Luneo's catalog refuses it at upload).

var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

var (
	textureInfoSpec = spec("textureInfo", "textureInfo", nil,
		fIndex("index").required(), fInt("texCoord", 0))
	normalTextureInfoSpec = spec("normalTextureInfo", "textureInfo", nil,
		fIndex("index").required(), fInt("texCoord", 0), fNum("scale"))
	occlusionTextureInfoSpec = spec("occlusionTextureInfo", "textureInfo", nil,
		fIndex("index").required(), fInt("texCoord", 0), fRange("strength", 0, 1))

	pbrSpec = spec("pbrMetallicRoughness", "pbrMetallicRoughness", nil,
		fVecRange("baseColorFactor", 4, 0, 1), fObj("baseColorTexture", textureInfoSpec),
		fRange("metallicFactor", 0, 1), fRange("roughnessFactor", 0, 1),
		fObj("metallicRoughnessTexture", textureInfoSpec))

	materialSpec = spec("material", "material", nil,
		fStr("name"), fObj("pbrMetallicRoughness", pbrSpec),
		fObj("normalTexture", normalTextureInfoSpec), fObj("occlusionTexture", occlusionTextureInfoSpec),
		fObj("emissiveTexture", textureInfoSpec), fVecRange("emissiveFactor", 3, 0, 1),
		fStrEnum("alphaMode", AlphaOpaque, AlphaMask, AlphaBlend),
		fInt0Num("alphaCutoff"), fBool("doubleSided"))

	sparseIndicesSpec = spec("accessor.sparse.indices", "sparseIndices", nil,
		fIndex("bufferView").required(), fInt("byteOffset", 0),
		fEnum("componentType", ComponentUnsignedByte, ComponentUnsignedShort, ComponentUnsignedInt).required())
	sparseValuesSpec = spec("accessor.sparse.values", "sparseValues", nil,
		fIndex("bufferView").required(), fInt("byteOffset", 0))
	sparseSpec = spec("accessor.sparse", "sparse", nil,
		fInt("count", 1).required(), fObj("indices", sparseIndicesSpec).required(),
		fObj("values", sparseValuesSpec).required())

	accessorSpec = spec("accessor", "accessor", postAccessor,
		fStr("name"), fIndex("bufferView"), fInt("byteOffset", 0),
		fEnum("componentType", ComponentByte, ComponentUnsignedByte, ComponentShort,
			ComponentUnsignedShort, ComponentUnsignedInt, ComponentFloat).required(),
		fBool("normalized"), fInt("count", 1).required(),
		fStrEnum("type", TypeScalar, TypeVec2, TypeVec3, TypeVec4, TypeMat2, TypeMat3, TypeMat4).required(),
		fNumList("max"), fNumList("min"), fObj("sparse", sparseSpec))

	channelTargetSpec = spec("animation.channel.target", "target", nil,
		fIndex("node"), fStrEnum("path", "translation", "rotation", "scale", "weights").required())
	channelSpec = spec("animation.channel", "channel", nil,
		fIndex("sampler").required(), fObj("target", channelTargetSpec).required())
	animSamplerSpec = spec("animation.sampler", "animationSampler", nil,
		fIndex("input").required(), fStrEnum("interpolation", "LINEAR", "STEP", "CUBICSPLINE"),
		fIndex("output").required())
	animationSpec = spec("animation", "animation", nil,
		fStr("name"), fObjArr("channels", channelSpec).required(), fObjArr("samplers", animSamplerSpec).required())

	assetSpec = spec("asset", "asset", nil,
		fStr("copyright"), fStr("generator"),
		field{name: "version", kind: kStr, pattern: versionPattern, req: true},
		field{name: "minVersion", kind: kStr, pattern: versionPattern})

	bufferSpec = spec("buffer", "buffer", nil,
		fStr("name"), fStr("uri"), fInt("byteLength", 1).required())

	bufferViewSpec = spec("bufferView", "bufferView", nil,
		fStr("name"), fIndex("buffer").required(), fInt("byteOffset", 0), fInt("byteLength", 1).required(),
		field{name: "byteStride", kind: kInt, min: fl(4), max: fl(252), multiple: 4},
		fEnum("target", TargetArrayBuffer, TargetElementArrayBuffer))

	orthographicSpec = spec("camera.orthographic", "orthographic", nil,
		fNum("xmag").required(), fNum("ymag").required(),
		fPositive("zfar").required(), field{name: "znear", kind: kNum, min: fl(0), req: true})
	perspectiveSpec = spec("camera.perspective", "perspective", nil,
		fPositive("aspectRatio"), fPositive("yfov").required(), fPositive("zfar"), fPositive("znear").required())
	cameraSpec = spec("camera", "camera", postCamera,
		fStr("name"), fObj("orthographic", orthographicSpec), fObj("perspective", perspectiveSpec),
		fStrEnum("type", "perspective", "orthographic").required())

	imageSpec = spec("image", "image", postImage,
		fStr("name"), fStr("uri"), fStrEnum("mimeType", "image/jpeg", "image/png"), fIndex("bufferView"))

	primitiveSpec = spec("mesh.primitive", "primitive", nil,
		field{name: "attributes", kind: kMap, elem: &field{kind: kIndex}, minItems: 1, req: true},
		fIndex("indices"), fIndex("material"), fIntRange("mode", 0, 6),
		fArr("targets", field{kind: kMap, elem: &field{kind: kIndex}, minItems: 1}))
	meshSpec = spec("mesh", "mesh", nil,
		fStr("name"), fObjArr("primitives", primitiveSpec).required(), fArr("weights", field{kind: kNum}))

	nodeSpec = spec("node", "node", postNode,
		fStr("name"), fIndex("camera"), fIdxSet("children"), fIndex("skin"),
		fNumVec("matrix", 16), fIndex("mesh"), fVecRange("rotation", 4, -1, 1),
		fNumVec("scale", 3), fNumVec("translation", 3), fArr("weights", field{kind: kNum}))

	samplerSpec = spec("sampler", "sampler", nil,
		fStr("name"), fEnum("magFilter", FilterNearest, FilterLinear),
		fEnum("minFilter", FilterNearest, FilterLinear, FilterNearestMipmapNearest,
			FilterLinearMipmapNearest, FilterNearestMipmapLinear, FilterLinearMipmapLinear),
		fEnum("wrapS", WrapClampToEdge, WrapMirroredRepeat, WrapRepeat),
		fEnum("wrapT", WrapClampToEdge, WrapMirroredRepeat, WrapRepeat))

	sceneSpec = spec("scene", "scene", nil, fStr("name"), fIdxSet("nodes"))

	skinSpec = spec("skin", "skin", nil,
		fStr("name"), fIndex("inverseBindMatrices"), fIndex("skeleton"), fIdxSet("joints").required())

	textureSpec = spec("texture", "texture", nil, fStr("name"), fIndex("sampler"), fIndex("source"))

	rootSpec = spec("glTF root object", "root", postRoot,
		func() field { f := fArr("extensionsUsed", field{kind: kStr}); f.unique = true; return f }(),
		func() field { f := fArr("extensionsRequired", field{kind: kStr}); f.unique = true; return f }(),
		fObjArr("accessors", accessorSpec), fObjArr("animations", animationSpec),
		fObj("asset", assetSpec).required(), fObjArr("buffers", bufferSpec),
		fObjArr("bufferViews", bufferViewSpec), fObjArr("cameras", cameraSpec),
		fObjArr("images", imageSpec), fObjArr("materials", materialSpec), fObjArr("meshes", meshSpec),
		fObjArr("nodes", nodeSpec), fObjArr("samplers", samplerSpec), fIndex("scene"),
		fObjArr("scenes", sceneSpec), fObjArr("skins", skinSpec), fObjArr("textures", textureSpec))
)

// postRoot: extensionsRequired depends on extensionsUsed (glTF schema).
func postRoot(c *checker, p string, o map[string]any) {
	_, req := o["extensionsRequired"]
	if _, used := o["extensionsUsed"]; req && !used {
		c.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", "/extensionsRequired", "extensionsRequired is set but extensionsUsed is not")
	}
}

// fInt0Num is a number that must not be negative.
func fInt0Num(name string) field { return field{name: name, kind: kNum, min: fl(0)} }

// fNumList is accessor.min/max: 1 to 16 numbers (the exact length depends
// on the accessor type and is checked by Validate).
func fNumList(name string) field { return fArr(name, field{kind: kNum}) }

func postAccessor(c *checker, p string, o map[string]any) {
	if _, ok := o["byteOffset"]; ok {
		if _, ok := o["bufferView"]; !ok {
			c.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", p+"/byteOffset", "byteOffset is set but bufferView is not")
		}
	}
}

func postCamera(c *checker, p string, o map[string]any) {
	_, hasP := o["perspective"]
	_, hasO := o["orthographic"]
	if hasP && hasO {
		c.rep.addf(SeverityError, "ONE_OF_MISMATCH", p, "a camera must have perspective or orthographic, not both")
		return
	}
	switch o["type"] {
	case "perspective":
		if !hasP {
			c.rep.addf(SeverityError, "UNDEFINED_PROPERTY", p, "camera type is perspective but the perspective property is missing")
		}
	case "orthographic":
		if !hasO {
			c.rep.addf(SeverityError, "UNDEFINED_PROPERTY", p, "camera type is orthographic but the orthographic property is missing")
		}
	}
}

func postImage(c *checker, p string, o map[string]any) {
	_, hasURI := o["uri"]
	_, hasView := o["bufferView"]
	if hasURI == hasView {
		c.rep.addf(SeverityError, "ONE_OF_MISMATCH", p, "an image must have exactly one of uri and bufferView")
	}
	if _, ok := o["mimeType"]; hasView && !ok {
		c.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", p, "an image stored in a bufferView must declare its mimeType")
	}
}

func postNode(c *checker, p string, o map[string]any) {
	if _, ok := o["mesh"]; !ok {
		if _, ok := o["skin"]; ok {
			c.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", p+"/skin", "a node with a skin must have a mesh")
		}
		if _, ok := o["weights"]; ok {
			c.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", p+"/weights", "a node with morph weights must have a mesh")
		}
	}
}
