package gltf

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Generated cases for the classes of disagreement with the Khronos
// glTF-Validator found in issue 8: buffers without data, data URIs,
// matrix accessor layout, unknown enum values, buffer views shared by
// different kinds of data, and an index past the last vertex whose
// accessor bounds are right. Each case is written as GLB and, where the
// format matters, as .gltf JSON; the differential test compares the set of
// error codes and the set of warning codes with the reference.

// classModel is a small model that touches every class: a triangle
// (positions, indices), a joint node animated by rotation keyframes, a
// skin with one inverse bind matrix, and a free bufferView area (view 5,
// bytes 148..212) for the matrix cases. Buffer 0 holds everything.
const classModel = `{
 "asset": {"version": "2.0"},
 "scene": 0, "scenes": [{"nodes": [0, 1]}],
 "nodes": [{"mesh": 0}, {"name": "joint"}],
 "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
 "skins": [{"joints": [1], "inverseBindMatrices": 4}],
 "animations": [{"samplers": [{"input": 2, "output": 3}], "channels": [{"sampler": 0, "target": {"node": 1, "path": "rotation"}}]}],
 "accessors": [
  {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
  {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR", "min": [0], "max": [2]},
  {"bufferView": 2, "componentType": 5126, "count": 2, "type": "SCALAR", "min": [0], "max": [1]},
  {"bufferView": 3, "componentType": 5126, "count": 2, "type": "VEC4"},
  {"bufferView": 4, "componentType": 5126, "count": 1, "type": "MAT4"}
 ],
 "bufferViews": [
  {"buffer": 0, "byteOffset": 0, "byteLength": 36, "target": 34962},
  {"buffer": 0, "byteOffset": 36, "byteLength": 6, "target": 34963},
  {"buffer": 0, "byteOffset": 44, "byteLength": 8},
  {"buffer": 0, "byteOffset": 52, "byteLength": 32},
  {"buffer": 0, "byteOffset": 84, "byteLength": 64},
  {"buffer": 0, "byteOffset": 148, "byteLength": 64}
 ],
 "buffers": [{"byteLength": 212}]
}`

// classBin is the data of classModel.
func classBin() []byte {
	b := make([]byte, 212)
	f := func(off int, v ...float32) {
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[off+4*i:], math.Float32bits(x))
		}
	}
	f(0, 0, 0, 0, 1, 0, 0, 0, 1, 0)
	for i, x := range []uint16{0, 1, 2} {
		binary.LittleEndian.PutUint16(b[36+2*i:], x)
	}
	f(44, 0, 1)
	f(52, 0, 0, 0, 1, 0, 0, 0.70710677, 0.70710677)
	f(84, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)
	return b
}

// tree decodes JSON text into the generic tree the mutation helpers use.
func tree(t testing.TB, js string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(js)))
	dec.UseNumber()
	var j map[string]any
	if err := dec.Decode(&j); err != nil {
		t.Fatal(err)
	}
	return j
}

// asGLTF writes a .gltf whose buffer 0 is bin as a base64 data URI, unless
// the mutation gave buffer 0 a uri or removed the data (bin == nil).
func asGLTF(t testing.TB, j map[string]any, bin []byte) []byte {
	t.Helper()
	if b0, ok := at(j, "/buffers/0").(map[string]any); ok && bin != nil {
		if _, has := b0["uri"]; !has {
			b0["uri"] = "data:application/octet-stream;base64," + base64.StdEncoding.EncodeToString(bin)
		}
	}
	js, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// classCase is one generated mutation of classModel.
type classCase struct {
	name  string
	glb   bool // write as GLB
	gltf  bool // write as .gltf
	apply func(j map[string]any, bin []byte) []byte
}

// both marks a mutation to be written in both formats.
func both(name string, apply func(j map[string]any, bin []byte) []byte) classCase {
	return classCase{name: name, glb: true, gltf: true, apply: apply}
}

// sets returns a mutation that sets pointers and keeps the data.
func sets(kv ...any) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		for i := 0; i+1 < len(kv); i += 2 {
			set(j, kv[i].(string), kv[i+1])
		}
		return bin
	}
}

// withURI gives buffer 0 a data URI (.gltf only).
func withURI(uri string) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		set(j, "/buffers/0/uri", uri)
		return bin
	}
}

// matrix adds accessor 5: type/componentType, count 2, in view 5 moved to
// byteOffset viewOff with byteLength viewLen, at accessor byteOffset off.
func matrix(typ string, ctype, viewOff, viewLen, off int) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		acc := j["accessors"].([]any)
		j["accessors"] = append(acc, map[string]any{"bufferView": num("5"), "byteOffset": json.Number(itoa(off)),
			"componentType": json.Number(itoa(ctype)), "count": num("2"), "type": typ})
		set(j, "/bufferViews/5/byteOffset", json.Number(itoa(viewOff)))
		set(j, "/bufferViews/5/byteLength", json.Number(itoa(viewLen)))
		return bin
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// shareView puts accessors a (byteOffset 0) and b (right after it) into
// one buffer view 2 spanning bytes 44..148 of the buffer, copying their data.
func shareView(a, b int) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		offs := map[int]int{2: 44, 3: 52, 4: 84}
		size := map[int]int{2: 8, 3: 32, 4: 64}
		out := append([]byte(nil), bin...)
		copy(out[44:], bin[offs[a]:offs[a]+size[a]])
		copy(out[44+size[a]:], bin[offs[b]:offs[b]+size[b]])
		set(j, "/bufferViews/2/byteLength", json.Number(itoa(size[a]+size[b])))
		set(j, ptr("accessors", a, "bufferView"), num("2"))
		set(j, ptr("accessors", b, "bufferView"), num("2"))
		set(j, ptr("accessors", b, "byteOffset"), json.Number(itoa(size[a])))
		return out
	}
}

// noData removes buffer 0's data: no uri in .gltf, no BIN chunk in GLB.
func noData(kv ...any) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		sets(kv...)(j, bin)
		return nil
	}
}

// rotationsInBuffer1 moves the rotation keyframes to a second buffer
// whose uri is uri (none when empty).
func rotationsInBuffer1(uri string) func(map[string]any, []byte) []byte {
	return func(j map[string]any, bin []byte) []byte {
		b1 := map[string]any{"byteLength": num("32")}
		if uri != "" {
			b1["uri"] = uri
		}
		j["buffers"] = append(j["buffers"].([]any), b1)
		set(j, "/bufferViews/3/buffer", num("1"))
		set(j, "/bufferViews/3/byteOffset", num("0"))
		return bin
	}
}

// percentEncoded writes bytes as a non-base64 data URI.
func percentEncoded(b []byte) string {
	const hex = "0123456789ABCDEF"
	out := []byte("data:application/octet-stream,")
	for _, c := range b {
		out = append(out, '%', hex[c>>4], hex[c&15])
	}
	return string(out)
}

func classCases() []classCase {
	rot := classBin()[52:84]
	b64 := base64.StdEncoding.EncodeToString(classBin())
	const p = "data:application/octet-stream;base64,"
	return []classCase{
		both("class model unchanged", sets()),

		// Buffers without data: the JSON is validated, the data is not.
		{name: "no buffer data", gltf: true, apply: noData()},
		{name: "no buffer data, wrong max", gltf: true, apply: noData("/accessors/0/max", []any{num("5"), num("5"), num("5")})},
		{name: "no buffer data, accessor past the view", gltf: true, apply: noData("/accessors/0/count", num("4"))},
		{name: "GLB without BIN chunk", glb: true, apply: noData()},
		both("second buffer without uri", rotationsInBuffer1("")),

		// Data URIs, read as the reference reads them.
		{name: "data URI without padding", gltf: true, apply: withURI(p + trimPad(b64))},
		{name: "data URI url-safe alphabet", gltf: true, apply: withURI(p + urlSafe(b64))},
		{name: "data URI upper-case scheme", gltf: true, apply: withURI("DATA:application/octet-stream;base64," + b64)},
		{name: "data URI media type in capitals", gltf: true, apply: withURI("data:Application/Octet-Stream;base64," + b64)},
		{name: "data URI with a parameter", gltf: true, apply: withURI("data:application/gltf-buffer;charset=x;base64," + b64)},
		{name: "data URI percent-encoded, not base64", gltf: true, apply: withURI(percentEncoded(classBin()))},
		{name: "data URI with a line break", gltf: true, apply: withURI(p + b64[:40] + "\n" + b64[40:])},
		{name: "data URI with CRLF", gltf: true, apply: withURI(p + b64[:40] + "\r\n" + b64[40:])},
		{name: "data URI with a space", gltf: true, apply: withURI(p + b64[:40] + " " + b64[40:])},
		{name: "data URI with extra padding", gltf: true, apply: withURI(p + b64 + "=")},
		{name: "data URI with padding inside", gltf: true, apply: withURI(p + b64[:4] + "=" + b64[4:])},
		{name: "data URI of impossible length", gltf: true, apply: withURI(p + b64 + "A")},
		{name: "data URI with a fragment", gltf: true, apply: withURI(p + b64 + "#x")},
		{name: "data URI BASE64 in capitals", gltf: true, apply: withURI("data:application/octet-stream;BASE64," + b64)},
		{name: "data URI without comma", gltf: true, apply: withURI("data:application/octet-stream;base64")},
		{name: "data URI media type without slash", gltf: true, apply: withURI("data:base64," + b64)},
		{name: "data URI of text", gltf: true, apply: withURI("data:text/plain;base64," + b64)},
		{name: "data URI without media type", gltf: true, apply: withURI("data:;base64," + b64)},
		both("second buffer as percent-encoded data URI", rotationsInBuffer1(percentEncoded(rot))),
		both("second buffer as base64 data URI", rotationsInBuffer1(p+base64.StdEncoding.EncodeToString(rot))),
		both("second buffer as corrupt base64 data URI", rotationsInBuffer1(p+"@@@@")),

		// Matrix accessors: columns padded to 4 bytes, last one not needed.
		both("MAT2 UNSIGNED_BYTE, tight view", matrix("MAT2", ComponentUnsignedByte, 148, 14, 0)),
		both("MAT3 BYTE, tight view", matrix("MAT3", ComponentByte, 148, 23, 0)),
		both("MAT3 SHORT, tight view", matrix("MAT3", ComponentShort, 148, 46, 0)),
		both("MAT3 SHORT, one byte short", matrix("MAT3", ComponentShort, 148, 45, 0)),
		both("MAT2 BYTE, view at odd offset", matrix("MAT2", ComponentByte, 149, 16, 0)),
		both("MAT2 SHORT, view at 150", matrix("MAT2", ComponentShort, 150, 16, 0)),
		both("MAT3 SHORT, byteOffset 2", matrix("MAT3", ComponentShort, 150, 60, 2)),
		both("MAT2 UNSIGNED_BYTE, byteOffset 1", matrix("MAT2", ComponentUnsignedByte, 148, 20, 1)),
		both("MAT4 FLOAT, byteOffset 2", matrix("MAT4", ComponentFloat, 148, 64, 2)),
		both("MAT4 FLOAT, byteOffset 4, too long", matrix("MAT4", ComponentFloat, 148, 64, 4)),

		// Values outside an enum are warnings; the checks that need a
		// known value give their own errors.
		both("unused accessor of type VEC5", sets("/accessors/4/type", "VEC5", "/skins", del)),
		both("unused accessor of componentType INT", sets("/accessors/4/componentType", num("5124"), "/skins", del)),
		both("POSITION of type vec3", sets("/accessors/0/type", "vec3")),
		both("indices of componentType INT", sets("/accessors/1/componentType", num("5124"))),
		both("mode 7", sets("/meshes/0/primitives/0/mode", num("7"))),
		both("bufferView target 1234", sets("/bufferViews/2/target", num("1234"))),
		both("interpolation SMOOTH", sets("/animations/0/samplers/0/interpolation", "SMOOTH")),
		both("sampler wrapS 1234", sets("/samplers", []any{map[string]any{"wrapS": num("1234")}})),
		both("alphaMode Blend", sets("/materials", []any{map[string]any{"alphaMode": "Blend"}})),
		both("camera type fisheye", sets("/cameras", []any{map[string]any{"type": "fisheye"}})),

		// One buffer view, one kind of data.
		both("IBM and keyframe times share a view", shareView(2, 4)),
		both("IBM and rotations share a view", shareView(3, 4)),
		both("times and rotations share a view", shareView(2, 3)),

		// An index past the last vertex, with min/max that match the data.
		both("index past the last vertex, bounds right", func(j map[string]any, bin []byte) []byte {
			binary.LittleEndian.PutUint16(bin[40:], 3)
			set(j, "/accessors/1/max", []any{num("3")})
			return bin
		}),
		both("index far past the last vertex, bounds right", func(j map[string]any, bin []byte) []byte {
			binary.LittleEndian.PutUint16(bin[36:], 7)
			set(j, "/accessors/1/min", []any{num("1")})
			set(j, "/accessors/1/max", []any{num("7")})
			return bin
		}),
	}
}

func trimPad(s string) string {
	for len(s) > 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	return s
}

// urlSafe writes base64 in the URL-safe alphabet.
func urlSafe(s string) string { return strings.NewReplacer("+", "-", "/", "_").Replace(s) }
