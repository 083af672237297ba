package gltf

import (
	"fmt"
	"strconv"
	"strings"
)

// Validate checks a document against the glTF 2.0 rules that involve the
// model as a whole: every reference in range, the node hierarchy, accessor
// and buffer view bounds and alignment, attribute formats, and the binary
// data itself (index ranges, min/max, finite floats, unit normals…).
//
// The readers run it on everything they read; call it directly on a
// document built or transformed in code before writing it. It never
// panics, whatever the document holds.
func Validate(doc *Document) Report { return validate(doc, false) }

// Usage of an accessor or buffer view, for the checks that depend on it.
const (
	useVertex uint8 = 1 << iota
	useIndex
	useAnimInput
	useAnimOutput
	useIBM
)

// validator carries the state of one validation.
type validator struct {
	doc *Document
	rep Report
	glb bool

	accUse   []uint8  // per accessor
	viewKind []string // per buffer view: what it holds (viewVertex…), "" until used
	accOK    []bool   // accessor passed its structural checks (data may be read)
	parent   []int    // per node, -1 for roots (cycles broken by loops)
	// declaredParent is parent before loops() broke the cycles.
	declaredParent []int
	// indexUses lists, per index accessor, the smallest vertex count of
	// the primitives it indexes.
	indexUses map[int]int
	normals   map[int]bool // accessors used as NORMAL (vec3 unit checks)
	tangents  map[int]bool
	rotations map[int]bool // animation outputs of rotation channels
	weights   [][]int      // WEIGHTS_n accessor sets per primitive
	joints    map[int]int  // JOINTS_n accessor → smallest joint count of the skins it is used with
	budget    int64        // components the data checks may still read
	quantized bool
	usedQuant bool // a format only KHR_mesh_quantization allows was found
}

func validate(doc *Document, glb bool) Report {
	v := &validator{
		doc: doc, glb: glb,
		accUse:    make([]uint8, len(doc.Accessors)),
		viewKind:  make([]string, len(doc.BufferViews)),
		accOK:     make([]bool, len(doc.Accessors)),
		indexUses: map[int]int{},
		normals:   map[int]bool{},
		tangents:  map[int]bool{},
		rotations: map[int]bool{},
		joints:    map[int]int{},
		quantized: doc.Quantized(),
	}
	// Data checks may read each buffer byte a few times over (interleaved
	// accessors, shared indices), never unboundedly: see data checks.
	var total int64
	for _, b := range doc.Buffers {
		total += int64(len(b.Data))
	}
	v.budget = 8*total + 1<<22

	v.root()
	v.buffers()
	v.bufferViews()
	v.viewTargets()
	v.accessors()
	v.images()
	v.textures()
	v.materials()
	v.nodes() // before meshes and data: joint counts come from the nodes
	v.meshes()
	v.scenes()
	v.skins()
	v.animations()
	v.cameras()
	v.data()
	return v.rep
}

// ref reports an out-of-range index; it returns whether idx is usable.
func (v *validator) ref(p string, idx, n int, what string) bool {
	if idx < 0 || idx >= n {
		v.rep.addf(SeverityError, "UNRESOLVED_REFERENCE", p, "%s %d does not exist (there are %d)", what, idx, n)
		return false
	}
	return true
}

func (v *validator) root() {
	d := v.doc
	if d.Scene != nil {
		v.ref("/scene", *d.Scene, len(d.Scenes), "scene")
	}
	major, minor, ok := parseVersion(d.Asset.Version)
	switch {
	case !ok:
		v.rep.addf(SeverityError, "PATTERN_MISMATCH", "/asset/version", "asset version %q is not of the form MAJOR.MINOR", d.Asset.Version)
	case major != 2:
		v.rep.addf(SeverityError, "UNKNOWN_ASSET_MAJOR_VERSION", "/asset/version", "glTF version %s is not supported: only glTF 2.x is; re-export the model as glTF 2.0", d.Asset.Version)
	case minor > 0:
		v.rep.addf(SeverityWarning, "UNKNOWN_ASSET_MINOR_VERSION", "/asset/version", "glTF minor version %d is newer than this reader knows", minor)
	}
	if d.Asset.MinVersion != "" {
		mj, mn, ok := parseVersion(d.Asset.MinVersion)
		if ok && (mj > major || mj == major && mn > minor) {
			v.rep.addf(SeverityError, "ASSET_MIN_VERSION_GREATER_THAN_VERSION", "/asset/minVersion", "minVersion %s is greater than version %s", d.Asset.MinVersion, d.Asset.Version)
		}
	}
	if containsStr(d.ExtensionsUsed, ExtMeshQuantization) && !containsStr(d.ExtensionsRequired, ExtMeshQuantization) {
		// Viewers without it would misread the integer positions.
		v.rep.addf(SeverityError, "NON_REQUIRED_EXTENSION", "/extensionsUsed", "%s must also be listed in extensionsRequired", ExtMeshQuantization)
	}
	for i, r := range d.ExtensionsRequired {
		if !containsStr(d.ExtensionsUsed, r) {
			v.rep.addf(SeverityError, "UNUSED_EXTENSION_REQUIRED", ptr("extensionsRequired", i), "extension %s is required but not listed in extensionsUsed", r)
		}
	}
}

func parseVersion(s string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(s, ".")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	return x, y, err1 == nil && err2 == nil && x >= 0 && y >= 0
}

func (v *validator) buffers() {
	for i, b := range v.doc.Buffers {
		p := ptr("buffers", i)
		switch {
		case b.ByteLength < 1:
			v.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p+"/byteLength", "byteLength %d must be at least 1", b.ByteLength)
		case b.Data == nil:
			// Not available (a buffer without uri outside a GLB): nothing
			// to check; the readers report a GLB whose BIN chunk is missing.
		case len(b.Data) < b.ByteLength:
			v.rep.addf(SeverityError, "BUFFER_BYTE_LENGTH_MISMATCH", p, "the buffer holds %d bytes but declares byteLength %d", len(b.Data), b.ByteLength)
		}
	}
}

// markAccessor records a usage of accessor idx (already range-checked) and
// of its buffer view, reporting conflicting usages.
func (v *validator) markAccessor(p string, idx int, use uint8) {
	prev := v.accUse[idx]
	if (prev&useIndex != 0 && use&useVertex != 0) || (prev&useVertex != 0 && use&useIndex != 0) {
		v.rep.addf(SeverityError, "ACCESSOR_USAGE_OVERRIDE", p, "accessor %d is used both for indices and for vertex attributes", idx)
	}
	v.accUse[idx] |= use
	a := &v.doc.Accessors[idx]
	if a.BufferView == nil || *a.BufferView < 0 || *a.BufferView >= len(v.doc.BufferViews) {
		return
	}
	bvi := *a.BufferView
	bv := &v.doc.BufferViews[bvi]
	kind := map[uint8]string{useVertex: viewVertex, useIndex: viewIndex, useAnimInput: viewOther, useAnimOutput: viewOther, useIBM: viewIBM}[use]
	v.useView(p, bvi, kind)
	if use&(useAnimInput|useAnimOutput|useIBM|useIndex) != 0 && bv.ByteStride != 0 {
		code := map[uint8]string{useAnimInput: "ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE", useAnimOutput: "ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE", useIBM: "SKIN_IBM_ACCESSOR_WITH_BYTESTRIDE", useIndex: "MESH_PRIMITIVE_INDICES_ACCESSOR_WITH_BYTESTRIDE"}[use]
		v.rep.addf(SeverityError, code, p, "buffer view %d of this accessor must not have a byteStride", bvi)
	}
}

// What a buffer view holds. A view holds one kind of data only, as the
// Khronos validator requires (BUFFER_VIEW_TARGET_OVERRIDE): a GPU vertex
// or index buffer, image bytes, inverse bind matrices, or other CPU data
// (animation keyframes, sparse substitutions). A view's target decides
// its kind up front.
const (
	viewVertex = "vertex attributes"
	viewIndex  = "indices"
	viewIBM    = "inverse bind matrices"
	viewImage  = "image data"
	viewOther  = "animation or sparse data"
)

// viewTargets sets the kind of the buffer views that declare a target.
func (v *validator) viewTargets() {
	for i, bv := range v.doc.BufferViews {
		switch bv.Target {
		case TargetArrayBuffer:
			v.viewKind[i] = viewVertex
		case TargetElementArrayBuffer:
			v.viewKind[i] = viewIndex
		}
	}
}

// useView records that buffer view bvi (in range) holds data of kind,
// reporting a second kind.
func (v *validator) useView(p string, bvi int, kind string) {
	switch prev := v.viewKind[bvi]; {
	case prev == "":
		v.viewKind[bvi] = kind
	case prev != kind:
		what := "holds " + prev
		if t := v.doc.BufferViews[bvi].Target; t != 0 {
			what = fmt.Sprintf("has target %d (%s)", t, prev)
		}
		v.rep.addf(SeverityError, "BUFFER_VIEW_TARGET_OVERRIDE", p, "buffer view %d %s, so it cannot also hold %s: give each its own buffer view", bvi, what, kind)
	}
}

// fmtAccessor renders an accessor's format, e.g. "VEC3/FLOAT" or
// "VEC2/UNSIGNED_SHORT normalized", for messages.
func fmtAccessor(a *Accessor) string {
	names := map[int]string{ComponentByte: "BYTE", ComponentUnsignedByte: "UNSIGNED_BYTE", ComponentShort: "SHORT", ComponentUnsignedShort: "UNSIGNED_SHORT", ComponentUnsignedInt: "UNSIGNED_INT", ComponentFloat: "FLOAT"}
	s := a.Type + "/" + names[a.ComponentType]
	if names[a.ComponentType] == "" {
		s = fmt.Sprintf("%s/%d", a.Type, a.ComponentType)
	}
	if a.Normalized {
		s += " normalized"
	}
	return s
}
