package gltf

import "encoding/json"

// Document is a glTF 2.0 asset: the JSON root object plus the binary data of
// its buffers and images (see Buffer.Data and Image.Data). Arrays hold values,
// not pointers, so a document can never contain a nil object and indices stay
// the only way objects refer to each other, exactly as in the file.
type Document struct {
	Asset              Asset                      `json:"asset"`
	ExtensionsUsed     []string                   `json:"extensionsUsed,omitempty"`
	ExtensionsRequired []string                   `json:"extensionsRequired,omitempty"`
	Scene              *int                       `json:"scene,omitempty"`
	Scenes             []Scene                    `json:"scenes,omitempty"`
	Nodes              []Node                     `json:"nodes,omitempty"`
	Meshes             []Mesh                     `json:"meshes,omitempty"`
	Materials          []Material                 `json:"materials,omitempty"`
	Textures           []Texture                  `json:"textures,omitempty"`
	Images             []Image                    `json:"images,omitempty"`
	Samplers           []Sampler                  `json:"samplers,omitempty"`
	Skins              []Skin                     `json:"skins,omitempty"`
	Animations         []Animation                `json:"animations,omitempty"`
	Cameras            []Camera                   `json:"cameras,omitempty"`
	Accessors          []Accessor                 `json:"accessors,omitempty"`
	BufferViews        []BufferView               `json:"bufferViews,omitempty"`
	Buffers            []Buffer                   `json:"buffers,omitempty"`
	Extensions         map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras             json.RawMessage            `json:"extras,omitempty"`

	// Report holds the warnings and informational issues found while the
	// document was read (errors make Read fail instead). It is not part of
	// the glTF JSON.
	Report Report `json:"-"`
}

// Asset is the metadata every glTF file must carry.
type Asset struct {
	Copyright  string                     `json:"copyright,omitempty"`
	Generator  string                     `json:"generator,omitempty"`
	Version    string                     `json:"version"`
	MinVersion string                     `json:"minVersion,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Scene is a set of root nodes to render.
type Scene struct {
	Name       string                     `json:"name,omitempty"`
	Nodes      []int                      `json:"nodes,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Node is one element of the scene graph. Its local transform is either
// Matrix (column-major) or the Translation/Rotation/Scale triple; absent
// values are the identity, which Node.LocalMatrix resolves.
type Node struct {
	Name        string                     `json:"name,omitempty"`
	Camera      *int                       `json:"camera,omitempty"`
	Children    []int                      `json:"children,omitempty"`
	Skin        *int                       `json:"skin,omitempty"`
	Matrix      *[16]float64               `json:"matrix,omitempty"`
	Mesh        *int                       `json:"mesh,omitempty"`
	Rotation    *[4]float64                `json:"rotation,omitempty"`
	Scale       *[3]float64                `json:"scale,omitempty"`
	Translation *[3]float64                `json:"translation,omitempty"`
	Weights     []float64                  `json:"weights,omitempty"`
	Extensions  map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras      json.RawMessage            `json:"extras,omitempty"`
}

// Skin binds a mesh to a skeleton of joint nodes.
type Skin struct {
	Name                string                     `json:"name,omitempty"`
	InverseBindMatrices *int                       `json:"inverseBindMatrices,omitempty"`
	Skeleton            *int                       `json:"skeleton,omitempty"`
	Joints              []int                      `json:"joints"`
	Extensions          map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras              json.RawMessage            `json:"extras,omitempty"`
}

// Camera is a perspective or orthographic projection; Type says which of the
// two members is set.
type Camera struct {
	Name         string                     `json:"name,omitempty"`
	Type         string                     `json:"type"`
	Perspective  *Perspective               `json:"perspective,omitempty"`
	Orthographic *Orthographic              `json:"orthographic,omitempty"`
	Extensions   map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras       json.RawMessage            `json:"extras,omitempty"`
}

// Perspective is a perspective projection. A nil Zfar means an infinite
// projection and a nil AspectRatio means "use the viewport's".
type Perspective struct {
	AspectRatio *float64                   `json:"aspectRatio,omitempty"`
	Yfov        float64                    `json:"yfov"`
	Zfar        *float64                   `json:"zfar,omitempty"`
	Znear       float64                    `json:"znear"`
	Extensions  map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras      json.RawMessage            `json:"extras,omitempty"`
}

// Orthographic is an orthographic projection.
type Orthographic struct {
	Xmag       float64                    `json:"xmag"`
	Ymag       float64                    `json:"ymag"`
	Zfar       float64                    `json:"zfar"`
	Znear      float64                    `json:"znear"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Animation is a set of channels that animate node properties.
type Animation struct {
	Name       string                     `json:"name,omitempty"`
	Channels   []Channel                  `json:"channels"`
	Samplers   []AnimationSampler         `json:"samplers"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Channel connects an animation sampler to the node property it drives.
type Channel struct {
	Sampler    int                        `json:"sampler"`
	Target     ChannelTarget              `json:"target"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// ChannelTarget names the animated node and property ("translation",
// "rotation", "scale" or "weights").
type ChannelTarget struct {
	Node       *int                       `json:"node,omitempty"`
	Path       string                     `json:"path"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// AnimationSampler pairs keyframe times (Input) with values (Output).
// An empty Interpolation means the default, "LINEAR".
type AnimationSampler struct {
	Input         int                        `json:"input"`
	Interpolation string                     `json:"interpolation,omitempty"`
	Output        int                        `json:"output"`
	Extensions    map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras        json.RawMessage            `json:"extras,omitempty"`
}
