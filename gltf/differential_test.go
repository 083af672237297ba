package gltf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The differential test mutates corpus models in the ways real files go
// wrong, adds generated cases for the classes of issue 8 (see
// differential_classes_test.go), and checks that our verdict and our set of
// error codes equal the Khronos glTF-Validator's on every case. It needs
// node and the validator package (tools/gltf-validator) and skips without
// them (fails, with LUNEO_TEST_NODE=1 as in CI).

// mutation changes a model's JSON tree and/or BIN chunk.
type mutation struct {
	name  string
	model string
	apply func(j map[string]any, bin []byte)
}

// setAll returns a mutation that sets several pointers.
func setAll(model, name string, kv ...any) mutation {
	return mutation{name: name, model: model, apply: func(j map[string]any, _ []byte) {
		for i := 0; i+1 < len(kv); i += 2 {
			set(j, kv[i].(string), kv[i+1])
		}
	}}
}

// putFloat writes a float32 into the BIN chunk at the position of element
// e, component k of accessor a (tightly packed or strided).
func putFloat(j map[string]any, bin []byte, a, e, k int, v float32) {
	acc := at(j, fmt.Sprintf("/accessors/%d", a)).(map[string]any)
	bvi, _ := acc["bufferView"].(json.Number).Int64()
	bv := at(j, fmt.Sprintf("/bufferViews/%d", bvi)).(map[string]any)
	off := 0
	if n, ok := acc["byteOffset"].(json.Number); ok {
		x, _ := n.Int64()
		off += int(x)
	}
	if n, ok := bv["byteOffset"].(json.Number); ok {
		x, _ := n.Int64()
		off += int(x)
	}
	stride := 4 * ComponentCount(acc["type"].(string))
	if n, ok := bv["byteStride"].(json.Number); ok {
		x, _ := n.Int64()
		stride = int(x)
	}
	binary.LittleEndian.PutUint32(bin[off+e*stride+4*k:], math.Float32bits(v))
}

func mutations() []mutation {
	const box, truck, sphere, alpha = "BoxTextured.glb", "CesiumMilkTruck.glb", "DenseSphere.glb", "AlphaBlendModeTest.glb"
	m := []mutation{
		{name: "unchanged", model: box, apply: func(map[string]any, []byte) {}},
		setAll(box, "no asset version", "/asset/version", del),
		setAll(box, "asset version 3.0", "/asset/version", "3.0"),
		setAll(box, "asset version 2.1", "/asset/version", "2.1"),
		setAll(box, "asset version 2", "/asset/version", "2"),
		setAll(box, "minVersion above version", "/asset/minVersion", "2.1"),
		setAll(box, "accessor without count", "/accessors/0/count", del),
		setAll(box, "accessor count string", "/accessors/0/count", "36"),
		setAll(box, "accessor count 36.0", "/accessors/0/count", num("36.0")),
		setAll(box, "accessor count 3.6e1", "/accessors/0/count", num("3.6e1")),
		setAll(box, "accessor count 0", "/accessors/0/count", num("0")),
		setAll(box, "accessor count +1 (too long)", "/accessors/1/count", num("25")),
		setAll(box, "accessor count -1 (fewer vertices)", "/accessors/1/count", num("23")),
		setAll(box, "componentType INT", "/accessors/0/componentType", num("5124")),
		setAll(box, "type VEC5", "/accessors/1/type", "VEC5"),
		setAll(box, "type MAT4 on positions", "/accessors/1/type", "MAT4"),
		setAll(box, "normalized float", "/accessors/1/normalized", true),
		setAll(box, "normalized indices", "/accessors/0/normalized", true),
		setAll(box, "misaligned byteOffset", "/accessors/2/byteOffset", num("2")),
		setAll(box, "byteOffset without bufferView", "/accessors/1/bufferView", del),
		setAll(box, "min wrong length", "/accessors/2/min", []any{num("-0.5"), num("-0.5")}),
		setAll(box, "min too small", "/accessors/2/min", []any{num("-0.6"), num("-0.5"), num("-0.5")}),
		setAll(box, "max too small", "/accessors/2/max", []any{num("0.4"), num("0.5"), num("0.5")}),
		setAll(box, "max float32-rounded", "/accessors/2/max", []any{num("0.50000001"), num("0.5"), num("0.5")}),
		setAll(box, "position without bounds", "/accessors/2/min", del, "/accessors/2/max", del),
		setAll(box, "index max wrong", "/accessors/0/max", []any{num("22")}),
		setAll(box, "attribute accessor out of range", "/meshes/0/primitives/0/attributes/POSITION", num("99")),
		setAll(box, "indices out of range", "/meshes/0/primitives/0/indices", num("99")),
		setAll(box, "indices are positions", "/meshes/0/primitives/0/indices", num("2")),
		setAll(box, "material out of range", "/meshes/0/primitives/0/material", num("9")),
		setAll(box, "mode 7", "/meshes/0/primitives/0/mode", num("7")),
		setAll(box, "mode points", "/meshes/0/primitives/0/mode", num("0")),
		setAll(box, "mode lines", "/meshes/0/primitives/0/mode", num("1")),
		setAll(box, "mode strip", "/meshes/0/primitives/0/mode", num("5")),
		setAll(box, "unknown attribute", "/meshes/0/primitives/0/attributes/FOO", num("3")),
		setAll(box, "custom attribute", "/meshes/0/primitives/0/attributes/_FOO", num("3")),
		setAll(box, "TEXCOORD_1 without 0", "/meshes/0/primitives/0/attributes/TEXCOORD_1", num("3"), "/meshes/0/primitives/0/attributes/TEXCOORD_0", del),
		setAll(box, "normals as texcoords", "/meshes/0/primitives/0/attributes/TEXCOORD_0", num("1")),
		setAll(box, "texCoord 1 missing", "/materials/0/pbrMetallicRoughness/baseColorTexture/texCoord", num("1")),
		setAll(box, "empty attributes", "/meshes/0/primitives/0/attributes", map[string]any{}),
		setAll(box, "empty primitives", "/meshes/0/primitives", []any{}),
		setAll(box, "empty nodes array", "/nodes", []any{}),
		setAll(box, "node mesh out of range", "/nodes/1/mesh", num("5")),
		setAll(box, "node child of itself", "/nodes/0/children", []any{num("0")}),
		setAll(box, "node child out of range", "/nodes/0/children", []any{num("7")}),
		setAll(box, "duplicate children", "/nodes/0/children", []any{num("1"), num("1")}),
		setAll(box, "scene lists a child", "/scenes/0/nodes", []any{num("0"), num("1")}),
		setAll(box, "scene out of range", "/scene", num("3")),
		setAll(box, "negative index", "/scene", num("-1")),
		setAll(box, "matrix and translation", "/nodes/0/translation", []any{num("1"), num("2"), num("3")}),
		setAll(box, "matrix with shear", "/nodes/0/matrix", []any{num("1"), num("0"), num("0"), num("0"), num("0.5"), num("1"), num("0"), num("0"), num("0"), num("0"), num("1"), num("0"), num("0"), num("0"), num("0"), num("1")}),
		setAll(box, "matrix projective", "/nodes/0/matrix", []any{num("1"), num("0"), num("0"), num("0.1"), num("0"), num("1"), num("0"), num("0"), num("0"), num("0"), num("1"), num("0"), num("0"), num("0"), num("0"), num("1")}),
		setAll(box, "matrix 15 values", "/nodes/0/matrix", []any{num("1"), num("0"), num("0"), num("0"), num("0"), num("1"), num("0"), num("0"), num("0"), num("0"), num("1"), num("0"), num("0"), num("0"), num("0")}),
		setAll(box, "rotation length 2", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("2")}),
		setAll(box, "rotation length 1.01", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("1.01")}),
		setAll(box, "rotation length 1.002", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.998")}),
		setAll(box, "rotation length 1.0001", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.9999")}),
		setAll(box, "rotation length 1.00001", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.99999")}),
		setAll(box, "rotation w 0.996", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.996")}),
		setAll(box, "rotation w 0.995", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.995")}),
		setAll(box, "rotation w 0.994", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.994")}),
		setAll(box, "rotation w 0.993", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.993")}),
		setAll(box, "rotation w 0.992", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.992")}),
		setAll(box, "rotation w 0.990", "/nodes/1/rotation", []any{num("0"), num("0"), num("0"), num("0.990")}),
		setAll(box, "quantization declared, not required, unused", "/extensionsUsed", []any{"KHR_mesh_quantization"}),
		setAll(box, "mode 7 without indices", "/meshes/0/primitives/0/mode", num("-1")),
		setAll(box, "scene 0.0", "/scene", num("0.0")),
		setAll(box, "scene 1e0", "/scene", num("1e0")),
		setAll(box, "rotation 3 values", "/nodes/1/rotation", []any{num("0"), num("0"), num("1")}),
		setAll(box, "scale zero", "/nodes/1/scale", []any{num("0"), num("0"), num("0")}),
		setAll(box, "weights without mesh", "/nodes/0/weights", []any{num("1")}),
		setAll(box, "texture source out of range", "/textures/0/source", num("4")),
		setAll(box, "texture sampler out of range", "/textures/0/sampler", num("4")),
		setAll(box, "texture index out of range", "/materials/0/pbrMetallicRoughness/baseColorTexture/index", num("4")),
		setAll(box, "sampler wrapS 1", "/samplers/0/wrapS", num("1")),
		setAll(box, "sampler magFilter 9986", "/samplers/0/magFilter", num("9986")),
		setAll(box, "image declared jpeg", "/images/0/mimeType", "image/jpeg"),
		setAll(box, "image declared webp", "/images/0/mimeType", "image/webp"),
		setAll(box, "image without mimeType", "/images/0/mimeType", del),
		setAll(box, "image uri and bufferView", "/images/0/uri", "x.png"),
		setAll(box, "image bufferView out of range", "/images/0/bufferView", num("9")),
		setAll(box, "image view with stride", "/bufferViews/3/byteStride", num("4")),
		setAll(box, "alphaMode FOO", "/materials/0/alphaMode", "FOO"),
		setAll(box, "alphaCutoff without MASK", "/materials/0/alphaCutoff", num("0.3")),
		setAll(box, "alphaCutoff negative", "/materials/0/alphaMode", "MASK", "/materials/0/alphaCutoff", num("-0.3")),
		setAll(box, "metallicFactor 2", "/materials/0/pbrMetallicRoughness/metallicFactor", num("2")),
		setAll(box, "baseColorFactor 3 values", "/materials/0/pbrMetallicRoughness/baseColorFactor", []any{num("1"), num("1"), num("1")}),
		setAll(box, "emissiveFactor 1.5", "/materials/0/emissiveFactor", []any{num("1.5"), num("1"), num("1")}),
		setAll(box, "bufferView byteLength missing", "/bufferViews/0/byteLength", del),
		setAll(box, "bufferView past buffer", "/bufferViews/0/byteLength", num("800")),
		setAll(box, "bufferView buffer out of range", "/bufferViews/0/buffer", num("2")),
		setAll(box, "byteStride 3", "/bufferViews/1/byteStride", num("3")),
		setAll(box, "byteStride 256", "/bufferViews/1/byteStride", num("256")),
		setAll(box, "byteStride 8 < VEC3", "/bufferViews/1/byteStride", num("8")),
		setAll(box, "byteStride on indices", "/bufferViews/0/byteStride", num("4")),
		setAll(box, "target 1234", "/bufferViews/1/target", num("1234")),
		setAll(box, "vertex view targets indices", "/bufferViews/1/target", num("34963")),
		setAll(box, "index view targets vertices", "/bufferViews/0/target", num("34962")),
		setAll(box, "buffer larger than BIN", "/buffers/0/byteLength", num("900")),
		setAll(box, "buffer much smaller than BIN", "/buffers/0/byteLength", num("100")),
		setAll(box, "second buffer without data", "/buffers/1", map[string]any{"byteLength": num("4")}),
		setAll(box, "unexpected property", "/nodes/0/foo", num("1")),
		setAll(box, "case variant of a property", "/nodes/1/MESH", num("5")),
		setAll(box, "extras number", "/nodes/0/extras", num("5")),
		setAll(box, "undeclared extension", "/nodes/0/extensions", map[string]any{"EXT_foo": map[string]any{}}),
		setAll(box, "declared unknown extension", "/nodes/0/extensions", map[string]any{"EXT_foo": map[string]any{}}, "/extensionsUsed", []any{"EXT_foo"}),
		setAll(box, "required not used", "/extensionsRequired", []any{"KHR_materials_unlit"}),
		setAll(box, "unlit", "/materials/0/extensions", map[string]any{"KHR_materials_unlit": map[string]any{}}, "/extensionsUsed", []any{"KHR_materials_unlit"}),
		setAll(box, "texture transform", "/materials/0/pbrMetallicRoughness/baseColorTexture/extensions", map[string]any{"KHR_texture_transform": map[string]any{"offset": []any{num("0.5"), num("0")}, "rotation": num("1")}}, "/extensionsUsed", []any{"KHR_texture_transform"}),
		setAll(box, "texture transform bad offset", "/materials/0/pbrMetallicRoughness/baseColorTexture/extensions", map[string]any{"KHR_texture_transform": map[string]any{"offset": "x"}}, "/extensionsUsed", []any{"KHR_texture_transform"}),
		setAll(box, "texture transform texCoord 1", "/materials/0/pbrMetallicRoughness/baseColorTexture/extensions", map[string]any{"KHR_texture_transform": map[string]any{"texCoord": num("1")}}, "/extensionsUsed", []any{"KHR_texture_transform"}),
		setAll(box, "emissive strength negative", "/materials/0/extensions", map[string]any{"KHR_materials_emissive_strength": map[string]any{"emissiveStrength": num("-1")}}, "/extensionsUsed", []any{"KHR_materials_emissive_strength"}, "/materials/0/emissiveFactor", []any{num("1"), num("1"), num("1")}),
		setAll(box, "variants", "/extensions", map[string]any{"KHR_materials_variants": map[string]any{"variants": []any{map[string]any{"name": "red"}}}},
			"/meshes/0/primitives/0/extensions", map[string]any{"KHR_materials_variants": map[string]any{"mappings": []any{map[string]any{"variants": []any{num("0")}, "material": num("0")}}}}, "/extensionsUsed", []any{"KHR_materials_variants"}),
		setAll(box, "variant out of range", "/extensions", map[string]any{"KHR_materials_variants": map[string]any{"variants": []any{map[string]any{"name": "red"}}}},
			"/meshes/0/primitives/0/extensions", map[string]any{"KHR_materials_variants": map[string]any{"mappings": []any{map[string]any{"variants": []any{num("3")}, "material": num("0")}}}}, "/extensionsUsed", []any{"KHR_materials_variants"}),
		setAll(box, "camera zfar < znear", "/cameras", []any{map[string]any{"type": "perspective", "perspective": map[string]any{"yfov": num("1"), "znear": num("10"), "zfar": num("1")}}}),
		setAll(box, "camera without perspective", "/cameras", []any{map[string]any{"type": "perspective"}}),
		setAll(box, "camera yfov 0", "/cameras", []any{map[string]any{"type": "perspective", "perspective": map[string]any{"yfov": num("0"), "znear": num("1")}}}),
		setAll(box, "ortho xmag 0", "/cameras", []any{map[string]any{"type": "orthographic", "orthographic": map[string]any{"xmag": num("0"), "ymag": num("1"), "znear": num("0"), "zfar": num("1")}}}),
		setAll(truck, "animation sampler out of range", "/animations/0/channels/0/sampler", num("9")),
		setAll(truck, "animation path foo", "/animations/0/channels/0/target/path", "foo"),
		setAll(truck, "animation path translation", "/animations/0/channels/0/target/path", "translation"),
		setAll(truck, "animation target node out of range", "/animations/0/channels/0/target/node", num("99")),
		setAll(truck, "animation input is output", "/animations/0/samplers/0/input", at(nil, "")),
		setAll(truck, "cubicspline", "/animations/0/samplers/0/interpolation", "CUBICSPLINE"),
		setAll(truck, "STEP", "/animations/0/samplers/0/interpolation", "STEP"),
		setAll(truck, "two parents", "/nodes/1/children", []any{num("2"), num("4")}),
		setAll(truck, "animated matrix node", "/animations/0/channels/0/target/node", num("1")),
		setAll(sphere, "quantization not declared", "/extensionsUsed", del, "/extensionsRequired", del),
		setAll(sphere, "quantization used not required", "/extensionsRequired", del),
		setAll(sphere, "quantized min mismatch", "/accessors/1/min", []any{num("-32556"), num("-32767"), num("-32575")}),
		setAll(sphere, "quantized normalized removed", "/accessors/1/normalized", del),
		setAll(alpha, "alpha unchanged", "/asset/generator", "x"),
		setAll(alpha, "shared image view", "/images/1/bufferView", num("7")),
	}
	binMuts := []mutation{
		{name: "index out of range", model: box, apply: func(j map[string]any, bin []byte) { binary.LittleEndian.PutUint16(bin[768+4:], 24) }},
		{name: "index primitive restart", model: box, apply: func(j map[string]any, bin []byte) {
			binary.LittleEndian.PutUint16(bin[768+4:], 0xFFFF)
			set(j, "/accessors/0/max", []any{num("65535")})
		}},
		{name: "NaN position", model: box, apply: func(j map[string]any, bin []byte) { putFloat(j, bin, 2, 3, 1, float32(math.NaN())) }},
		{name: "position beyond max", model: box, apply: func(j map[string]any, bin []byte) { putFloat(j, bin, 2, 3, 1, 0.75) }},
		{name: "normal length 2", model: box, apply: func(j map[string]any, bin []byte) { putFloat(j, bin, 1, 0, 0, 2) }},
		{name: "normal scaled 1.005", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.005)
			putFloat(j, bin, 1, 5, 1, 0.8*1.005)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 1.006", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.006)
			putFloat(j, bin, 1, 5, 1, 0.8*1.006)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 1.0065", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.0065)
			putFloat(j, bin, 1, 5, 1, 0.8*1.0065)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 1.007", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.007)
			putFloat(j, bin, 1, 5, 1, 0.8*1.007)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 1.0075", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.0075)
			putFloat(j, bin, 1, 5, 1, 0.8*1.0075)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 1.008", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*1.008)
			putFloat(j, bin, 1, 5, 1, 0.8*1.008)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 0.993", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*0.993)
			putFloat(j, bin, 1, 5, 1, 0.8*0.993)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal scaled 0.9935", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0.6*0.9935)
			putFloat(j, bin, 1, 5, 1, 0.8*0.9935)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal length 1.004", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0)
			putFloat(j, bin, 1, 5, 1, 1.004)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal length 1.01", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0)
			putFloat(j, bin, 1, 5, 1, 1.01)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "normal length 1.02", model: box, apply: func(j map[string]any, bin []byte) {
			putFloat(j, bin, 1, 5, 0, 0)
			putFloat(j, bin, 1, 5, 1, 1.02)
			putFloat(j, bin, 1, 5, 2, 0)
		}},
		{name: "texcoord Inf", model: box, apply: func(j map[string]any, bin []byte) { putFloat(j, bin, 3, 0, 0, float32(math.Inf(1))) }},
	}
	return append(m, binMuts...)
}

// diffCase is one generated file of the differential test.
type diffCase struct {
	name     string
	file     string
	warnings bool // compare the warning codes too (the classes of issue 8)
}

// knownDivergence lists the mutants whose error codes still differ from
// the reference, with the codes only the reference reports (-) and only we
// report (+). These are secondary codes of a file both refuse (the verdict
// agrees): after a JSON schema error (an empty array, a null, a stride out
// of range) we do not run the semantic checks on a model we could not
// decode faithfully, where the reference goes on. The test fails when a
// divergence changes, so fixing one means removing its entry.
var knownDivergence = map[string]string{
	"empty attributes":              "-ACCESSOR_INDEX_OOB -MESH_PRIMITIVE_TOO_FEW_TEXCOORDS",
	"empty nodes array":             "-UNRESOLVED_REFERENCE",
	"duplicate children":            "-NODE_PARENT_OVERRIDE",
	"image uri and bufferView":      "-IO_ERROR", // the reference harness loads no external file; we refuse them anyway
	"bufferView byteLength missing": "-ACCESSOR_TOO_LONG",
	"byteStride 3":                  "+VALUE_MULTIPLE_OF -MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE",
	"byteStride 256":                "-MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE",
	"animation input is output":     "-UNDEFINED_PROPERTY",
}

// codeDiff describes how two code sets differ, as in knownDivergence.
func codeDiff(ref, ours map[string]bool) string {
	var d []string
	for c := range ref {
		if !ours[c] {
			d = append(d, "-"+c)
		}
	}
	for c := range ours {
		if !ref[c] {
			d = append(d, "+"+c)
		}
	}
	sort.Strings(d)
	return strings.Join(d, " ")
}

// ourCodes reads a file with read (Read, ReadGLB…) and returns whether it
// was refused and the codes of its errors and of its warnings.
func ourCodes(t *testing.T, read func(io.ReaderAt, int64, ReadOptions) (*Document, error), b []byte) (refused bool, errs, warns map[string]bool, err error) {
	t.Helper()
	doc, err := read(bytes.NewReader(b), int64(len(b)), ReadOptions{})
	var rep Report
	var verr *ValidationError
	switch {
	case errors.As(err, &verr):
		rep = verr.Report
	case err != nil:
		t.Fatalf("not a validation error: %v", err)
	default:
		rep = doc.Report
	}
	errs, warns = map[string]bool{}, map[string]bool{}
	for _, is := range rep.Issues {
		switch is.Severity {
		case SeverityError:
			errs[is.Code] = true
		case SeverityWarning:
			warns[is.Code] = true
		}
	}
	return err != nil, errs, warns, err
}

// diffCases writes every mutant of the corpus models (as GLB) and every
// generated case of the issue 8 classes (as GLB and/or .gltf) into dir.
func diffCases(t *testing.T, dir string) []diffCase {
	models := corpusDir(t, "models")
	var cases []diffCase
	write := func(name, ext string, b []byte, warnings bool) {
		f := filepath.Join(dir, fmt.Sprintf("c%03d.%s", len(cases), ext))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, diffCase{name: name, file: f, warnings: warnings})
	}
	for _, mu := range mutations() {
		base, err := os.ReadFile(filepath.Join(models, mu.model))
		if err != nil {
			t.Fatal(err)
		}
		j, bin := glbParts(t, base)
		mu.apply(j, bin)
		write(mu.name, "glb", buildGLB(t, j, bin), false)
	}
	for _, cc := range classCases() {
		if cc.glb {
			j := tree(t, classModel)
			bin := cc.apply(j, classBin())
			write(cc.name+" (glb)", "glb", buildGLB(t, j, bin), true)
		}
		if cc.gltf {
			j := tree(t, classModel)
			bin := cc.apply(j, classBin())
			write(cc.name+" (gltf)", "gltf", asGLTF(t, j, bin), true)
		}
	}
	return cases
}

// TestDifferentialAgainstKhronos compares our verdict and our set of error
// codes (and, for the generated classes, of warning codes) with the Khronos
// glTF-Validator's on every case.
func TestDifferentialAgainstKhronos(t *testing.T) {
	t.Parallel()
	cases := diffCases(t, t.TempDir())
	files := make([]string, len(cases))
	for i, c := range cases {
		files[i] = c.file
	}
	ref := khronosValidate(t, files...)
	agree := 0
	for _, c := range cases {
		r := ref[c.file]
		b, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		refused, errs, warns, rerr := ourCodes(t, Read, b)
		kerrs, kwarns := map[string]bool{}, map[string]bool{}
		for _, m := range r.Messages {
			switch m.Severity {
			case 0:
				kerrs[m.Code] = true
			case 1:
				kwarns[m.Code] = true
			}
		}
		ok := true
		if refused != (r.NumErrors > 0) {
			t.Errorf("%s: verdict differs: Khronos errors=%d, ours refused=%v (%v)", c.name, r.NumErrors, refused, rerr)
			ok = false
		}
		if d := codeDiff(kerrs, errs); d != knownDivergence[c.name] {
			t.Errorf("%s: error codes differ from Khronos by %q (known: %q); Khronos %v, ours %v", c.name, d, knownDivergence[c.name], keys(kerrs), keys(errs))
			ok = false
		}
		if c.warnings {
			if d := codeDiff(kwarns, warns); d != "" {
				t.Errorf("%s: warning codes differ from Khronos by %q; Khronos %v, ours %v", c.name, d, keys(kwarns), keys(warns))
				ok = false
			}
		}
		if !refused {
			// What we accept must be safe to use, data or not.
			doc, err := Read(bytes.NewReader(b), int64(len(b)), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkReadable(t, doc)
			Optimize(doc, OptimizeOptions{})
		}
		if ok {
			agree++
			t.Logf("ok %-50s errors %v warnings %v", c.name, keys(errs), keys(warns))
		}
	}
	t.Logf("%d of %d cases agree with Khronos (%d known divergences of secondary codes)", agree, len(cases), len(knownDivergence))
}

// keys lists a set's members in order.
func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
