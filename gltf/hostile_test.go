package gltf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// heapAllocated returns the bytes allocated while f runs.
func heapAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeLengthClaimsDoNotAllocate stays serial: heapAllocated reads the
// process-wide allocation counter, which parallel tests would inflate.
func TestHugeLengthClaimsDoNotAllocate(t *testing.T) {
	// 20 bytes claiming a 4 GB file with a 4 GB JSON chunk.
	glb := make([]byte, 20)
	binary.LittleEndian.PutUint32(glb[0:], glbMagic)
	binary.LittleEndian.PutUint32(glb[4:], 2)
	binary.LittleEndian.PutUint32(glb[8:], 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(glb[12:], 0xFFFFFFF0)
	binary.LittleEndian.PutUint32(glb[16:], chunkTypeJSON)

	// JSON claiming a 4 GB buffer and a 2-billion-element accessor with no data.
	js := []byte(`{"asset":{"version":"2.0"},"buffers":[{"byteLength":4294967295,"uri":"data:application/octet-stream;base64,AAAA"}],` +
		`"accessors":[{"componentType":5126,"count":2000000000,"type":"MAT4","min":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"max":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}],` +
		`"meshes":[{"primitives":[{"attributes":{"_HUGE":0}}]}]}`)

	for name, input := range map[string][]byte{"glb": glb, "json": js} {
		var err error
		n := heapAllocated(func() {
			_, err = Read(bytes.NewReader(input), int64(len(input)), ReadOptions{})
		})
		if err == nil {
			t.Errorf("%s: huge claims accepted", name)
		}
		t.Logf("%s: %d bytes allocated, error: %v", name, n, err)
		if n > 1<<20 {
			t.Errorf("%s: %d bytes allocated for a %d-byte input", name, n, len(input))
		}
	}

	// Reading the data-less accessor is refused rather than allocating 128 GB.
	doc := &Document{Asset: Asset{Version: "2.0"}, Accessors: []Accessor{{ComponentType: ComponentFloat, Count: 2000000000, Type: TypeMat4}}}
	if _, _, err := ReadAccessorFloat32(doc, 0); err == nil {
		t.Error("ReadAccessorFloat32 materialised a 2-billion-element accessor")
	}
}

func TestValidationErrorsArePrecise(t *testing.T) {
	t.Parallel()
	doc := readCorpus(t, "BoxTextured.glb")
	doc.Meshes[0].Primitives[0].Attributes["POSITION"] = 99
	self := len(doc.Nodes)
	doc.Nodes = append(doc.Nodes, Node{Children: []int{self}}) // its own child
	rep := Validate(doc)
	want := map[string]string{
		"/meshes/0/primitives/0/attributes/POSITION": "UNRESOLVED_REFERENCE",
		ptr("nodes", self):                           "NODE_LOOP",
	}
	found := map[string]bool{}
	for _, is := range rep.Errors() {
		t.Logf("%s", is)
		if code, ok := want[is.Pointer]; ok && (code == "" || code == is.Code) {
			found[is.Pointer] = true
		}
	}
	for p := range want {
		if !found[p] {
			t.Errorf("no error at %s", p)
		}
	}
	var verr error = &ValidationError{Report: rep}
	if !errors.As(verr, new(*ValidationError)) || verr.Error() == "" {
		t.Error("ValidationError does not describe itself")
	}
}
