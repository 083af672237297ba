package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/blob"
)

// The base colour textures of a model's materials, which the zone editor
// draws zones on. They are read from the stored canonical GLB with ranged
// reads: the JSON chunk, then the bytes of the one image, so showing a
// texture never loads a large model whole. The canonical GLB is ours
// (written by gltf.WriteGLB after validation), so its layout is known:
// header, JSON chunk, BIN chunk holding every image in a buffer view.

// maxCanonicalJSON bounds the JSON chunk read back (the reader's own limit).
const maxCanonicalJSON = gltf.DefaultMaxJSONSize

// maxTextureImage bounds the image bytes one texture request reads.
const maxTextureImage = 64 << 20

// MaterialTexture names the base colour texture of one material of a model.
type MaterialTexture struct {
	// Material is the material's name (which zones refer to).
	Material string `json:"material"`
	// MaterialIndex is the material's index in the model.
	MaterialIndex int `json:"material_index"`
	// Texture is the texture's index, as in the model's Stats.Textures,
	// which give the image's size in pixels.
	Texture int `json:"texture"`
}

// TextureImage is the encoded image of a material's base colour texture.
type TextureImage struct {
	// ModelID is the model the image belongs to: a new model is a new image.
	ModelID string
	// MimeType is image/png, image/jpeg or image/webp, read from the data.
	MimeType string
	Data     []byte
}

// BaseColorTextures lists the materials of the product's model that have a
// base colour texture, in material order.
func (s *Service) BaseColorTextures(ctx context.Context, p auth.Principal, productID string) ([]MaterialTexture, error) {
	if err := canRead(p); err != nil {
		return nil, err
	}
	m, err := s.modelOf(ctx, p, productID)
	if err != nil {
		return nil, err
	}
	doc, _, err := s.canonicalJSON(ctx, m.Canonical.key)
	if err != nil {
		return nil, err
	}
	out := []MaterialTexture{}
	for i, mat := range doc.Materials {
		if t, ok := baseColorTexture(doc, mat); ok {
			out = append(out, MaterialTexture{Material: mat.Name, MaterialIndex: i, Texture: t})
		}
	}
	return out, nil
}

// BaseColorTexture returns the image of the base colour texture of the
// model material named material (the first, should two share the name).
func (s *Service) BaseColorTexture(ctx context.Context, p auth.Principal, productID, material string) (TextureImage, error) {
	if err := canRead(p); err != nil {
		return TextureImage{}, err
	}
	m, err := s.modelOf(ctx, p, productID)
	if err != nil {
		return TextureImage{}, err
	}
	doc, binStart, err := s.canonicalJSON(ctx, m.Canonical.key)
	if err != nil {
		return TextureImage{}, err
	}
	idx := -1
	for i, mat := range doc.Materials {
		if mat.Name == material && material != "" {
			idx = i
			break
		}
	}
	if idx < 0 {
		return TextureImage{}, apperr.New(apperr.NotFound, "the model has no material named %q", material)
	}
	t, ok := baseColorTexture(doc, doc.Materials[idx])
	if !ok {
		return TextureImage{}, apperr.New(apperr.NotFound, "the material %q has no base colour texture", material)
	}
	data, err := s.textureImage(ctx, m.Canonical.key, binStart, doc, textureSource(doc.Textures[t]), material)
	if err != nil {
		return TextureImage{}, err
	}
	if data == nil {
		return TextureImage{}, apperr.New(apperr.NotFound, "the base colour texture of %q has no image", material)
	}
	return TextureImage{ModelID: m.ID, MimeType: imageType(data), Data: data}, nil
}

// textureImage reads the encoded bytes of image img of a canonical GLB
// (nil when the image has none in the GLB). material names whose texture it
// is, for messages. The image must be PNG, JPEG or WebP.
func (s *Service) textureImage(ctx context.Context, key string, binStart int64, doc *gltf.Document, img int, material string) ([]byte, error) {
	if img < 0 || img >= len(doc.Images) || doc.Images[img].BufferView == nil {
		return nil, nil
	}
	bvIdx := *doc.Images[img].BufferView
	if bvIdx < 0 || bvIdx >= len(doc.BufferViews) {
		return nil, fmt.Errorf("model %s: image %d points at a missing buffer view", key, img)
	}
	bv := doc.BufferViews[bvIdx]
	if bv.ByteLength <= 0 || bv.ByteLength > maxTextureImage || bv.ByteOffset < 0 {
		return nil, apperr.New(apperr.Unprocessable, "the texture of %q is too large (%d bytes)", material, bv.ByteLength)
	}
	data, err := s.readRange(ctx, key, binStart+int64(bv.ByteOffset), int64(bv.ByteLength))
	if err != nil {
		return nil, err
	}
	if imageType(data) == "" {
		return nil, apperr.New(apperr.Unprocessable, "the texture of %q is not a PNG, JPEG or WebP image, which browsers cannot draw", material)
	}
	return data, nil
}

// modelOf reads the model row of a product of the principal's brand.
func (s *Service) modelOf(ctx context.Context, p auth.Principal, productID string) (Model, error) {
	m, err := loadModel(ctx, s.db, p.BrandID, productID)
	if errors.Is(err, sql.ErrNoRows) {
		if _, perr := getProduct(ctx, s.db, p.BrandID, productID); perr != nil {
			return Model{}, perr
		}
		return Model{}, apperr.New(apperr.NotFound, "this product has no 3D model yet: upload one")
	}
	return m, err
}

// baseColorTexture returns the index of mat's base colour texture.
func baseColorTexture(doc *gltf.Document, mat gltf.Material) (int, bool) {
	pbr := mat.PBRMetallicRoughness
	if pbr == nil || pbr.BaseColorTexture == nil {
		return 0, false
	}
	t := pbr.BaseColorTexture.Index
	return t, t >= 0 && t < len(doc.Textures)
}

// textureSource is the image a texture shows: its core source, else the
// WebP one of EXT_texture_webp; -1 when it has neither.
func textureSource(t gltf.Texture) int {
	if t.Source != nil {
		return *t.Source
	}
	var webp struct {
		Source *int `json:"source"`
	}
	if raw, ok := t.Extensions["EXT_texture_webp"]; ok && json.Unmarshal(raw, &webp) == nil && webp.Source != nil {
		return *webp.Source
	}
	return -1
}

// canonicalJSON reads the JSON chunk of a canonical GLB (into a document
// without data) and returns where its BIN chunk's data starts.
func (s *Service) canonicalJSON(ctx context.Context, key string) (*gltf.Document, int64, error) {
	head, err := s.readRange(ctx, key, 0, 20)
	if err != nil {
		return nil, 0, err
	}
	if !bytes.Equal(head[:4], []byte("glTF")) || binary.LittleEndian.Uint32(head[16:]) != 0x4E4F534A {
		return nil, 0, fmt.Errorf("canonical GLB %s: not a GLB with a leading JSON chunk", key)
	}
	n := int64(binary.LittleEndian.Uint32(head[12:]))
	if n <= 0 || n > maxCanonicalJSON {
		return nil, 0, fmt.Errorf("canonical GLB %s: JSON chunk of %d bytes", key, n)
	}
	js, err := s.readRange(ctx, key, 20, n)
	if err != nil {
		return nil, 0, err
	}
	var doc gltf.Document
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, 0, fmt.Errorf("canonical GLB %s: %w", key, err)
	}
	// After the JSON chunk: the BIN chunk's 8-byte header, then its data.
	return &doc, 20 + n + 8, nil
}

// readRange reads exactly n bytes at off of the blob at key.
func (s *Service) readRange(ctx context.Context, key string, off, n int64) ([]byte, error) {
	rc, info, err := s.blobs.Get(ctx, key, &blob.Range{Offset: off, Length: n})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	if off+n > info.Size {
		return nil, fmt.Errorf("read %s: bytes %d+%d lie past its end (%d)", key, off, n, info.Size)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return b, nil
}

// imageType names the format of image data a browser can draw, or "".
func imageType(b []byte) string {
	switch mt := gltf.ImageMIME(b); mt {
	case "image/png", "image/jpeg", "image/webp":
		return mt
	}
	return ""
}
