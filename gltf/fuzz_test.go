package gltf

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// fuzzOptions keeps each fuzz input cheap.
var fuzzOptions = ReadOptions{MaxSize: 4 << 20, MaxJSONSize: 1 << 20}

// checkReadable exercises everything a caller may do with an accepted
// document; none of it may panic, and what we write must read back.
func checkReadable(t *testing.T, doc *Document) {
	Stats(doc)
	Undrawable(doc)
	for i := range doc.Accessors {
		if doc.Accessors[i].BufferView == nil && doc.Accessors[i].Count > 1<<16 {
			continue // legal (all zeros) but slow to materialise many times
		}
		ReadAccessorFloat32(doc, i)
		ReadIndices(doc, i)
	}
	var buf bytes.Buffer
	if err := WriteGLB(&buf, doc); err != nil {
		return // e.g. an image whose format cannot be told: refused, not a crash
	}
	if _, err := ReadGLB(bytes.NewReader(buf.Bytes()), int64(buf.Len()), fuzzOptions); err != nil {
		t.Fatalf("a document we accepted was written as a GLB we refuse: %v", err)
	}
}

func addCorpusSeeds(f *testing.F, sub, pattern string, max int64) {
	dir := filepath.Join("..", "..", "shared", "corpus", sub)
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, file := range files {
		if st, err := os.Stat(file); err == nil && st.Size() <= max {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
}

func FuzzReadGLB(f *testing.F) {
	// Small seeds only: the fuzzer minimises every new input, which takes
	// seconds on megabyte models and starves the search.
	addCorpusSeeds(f, "invalid-glb", "*.glb", 32<<10)
	addCorpusSeeds(f, "models", "*.glb", 32<<10)
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := ReadGLB(bytes.NewReader(b), int64(len(b)), fuzzOptions)
		if err == nil {
			checkReadable(t, doc)
		}
		Read(bytes.NewReader(b), int64(len(b)), fuzzOptions)
	})
}

func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{
		`{"asset":{"version":"2.0"}}`,
		`{"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"children":[1]},{"mesh":0,"rotation":[0,0,0,1]}],"meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1,"mode":4}]}],` +
			`"accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},{"bufferView":1,"componentType":5123,"count":3,"type":"SCALAR"}],` +
			`"bufferViews":[{"buffer":0,"byteLength":36,"target":34962},{"buffer":0,"byteOffset":36,"byteLength":6,"target":34963}],` +
			`"buffers":[{"byteLength":42,"uri":"data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAACAPwAAgD8AAAAAAAABAAIA"}]}`,
	} {
		f.Add([]byte(s))
	}
	// The JSON of the small corpus models, with their BIN chunks as data URIs.
	dir := filepath.Join("..", "..", "shared", "corpus", "models")
	for _, name := range []string{"BoxTextured.glb", "AlphaBlendModeTest.glb", "ShapeCollection.glb"} {
		doc, err := ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if name == "BoxTextured.glb" {
			for i := range doc.Buffers {
				doc.Buffers[i].URI = dataURI("", 0, doc.Buffers[i].Data, "application/octet-stream")
			}
		}
		if js, err := json.Marshal(doc); err == nil {
			f.Add(js)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := ReadGLTF(bytes.NewReader(b), int64(len(b)), fuzzOptions)
		if err == nil {
			checkReadable(t, doc)
		}
	})
}
