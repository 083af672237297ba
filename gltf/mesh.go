package gltf

import "encoding/json"

// Mesh is a set of primitives drawn together.
type Mesh struct {
	Name       string                     `json:"name,omitempty"`
	Primitives []Primitive                `json:"primitives"`
	Weights    []float64                  `json:"weights,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Primitive is one draw call: vertex attributes (semantic → accessor index),
// optional indices, a material and a topology mode (nil means triangles).
type Primitive struct {
	Attributes map[string]int             `json:"attributes"`
	Indices    *int                       `json:"indices,omitempty"`
	Material   *int                       `json:"material,omitempty"`
	Mode       *int                       `json:"mode,omitempty"`
	Targets    []map[string]int           `json:"targets,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// ModeOrDefault returns the primitive's topology, ModeTriangles when unset.
func (p *Primitive) ModeOrDefault() int {
	if p.Mode == nil {
		return ModeTriangles
	}
	return *p.Mode
}

// Accessor describes typed elements stored in a buffer view. Without a
// BufferView every element is zero unless Sparse overrides it.
type Accessor struct {
	Name          string                     `json:"name,omitempty"`
	BufferView    *int                       `json:"bufferView,omitempty"`
	ByteOffset    int                        `json:"byteOffset,omitempty"`
	ComponentType int                        `json:"componentType"`
	Normalized    bool                       `json:"normalized,omitempty"`
	Count         int                        `json:"count"`
	Type          string                     `json:"type"`
	Max           []float64                  `json:"max,omitempty"`
	Min           []float64                  `json:"min,omitempty"`
	Sparse        *Sparse                    `json:"sparse,omitempty"`
	Extensions    map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras        json.RawMessage            `json:"extras,omitempty"`
}

// Sparse stores the elements of an accessor that differ from its base data.
type Sparse struct {
	Count      int                        `json:"count"`
	Indices    SparseIndices              `json:"indices"`
	Values     SparseValues               `json:"values"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// SparseIndices locates the indices of the overridden elements.
type SparseIndices struct {
	BufferView    int                        `json:"bufferView"`
	ByteOffset    int                        `json:"byteOffset,omitempty"`
	ComponentType int                        `json:"componentType"`
	Extensions    map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras        json.RawMessage            `json:"extras,omitempty"`
}

// SparseValues locates the replacement elements.
type SparseValues struct {
	BufferView int                        `json:"bufferView"`
	ByteOffset int                        `json:"byteOffset,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// BufferView is a byte range of a buffer. ByteStride 0 means tightly packed;
// Target 0 means "not given".
type BufferView struct {
	Name       string                     `json:"name,omitempty"`
	Buffer     int                        `json:"buffer"`
	ByteOffset int                        `json:"byteOffset,omitempty"`
	ByteLength int                        `json:"byteLength"`
	ByteStride int                        `json:"byteStride,omitempty"`
	Target     int                        `json:"target,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Buffer is a block of binary data. Data holds the bytes once read (from the
// GLB BIN chunk, a data URI or a file of a zip archive); it is nil when the
// data was not available, which validation reports.
type Buffer struct {
	Name       string                     `json:"name,omitempty"`
	URI        string                     `json:"uri,omitempty"`
	ByteLength int                        `json:"byteLength"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`

	Data []byte `json:"-"`
}
