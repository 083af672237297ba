package gltf

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg" // also registers JPEG for image.DecodeConfig
	"image/png"  // also registers PNG for image.DecodeConfig
	"io"
	"strconv"
)

// texRef is one texture reference of a material.
type texRef struct {
	pointer  string
	index    int
	texCoord int
}

// materialTexRefs lists the texture references of material m, with the
// TEXCOORD set each one samples (KHR_texture_transform may override it).
func materialTexRefs(m *Material, p string) []texRef {
	var out []texRef
	add := func(name string, ti *TextureInfo) {
		if ti == nil {
			return
		}
		tc := ti.TexCoord
		if tt, err := ti.Transform(); err == nil && tt != nil && tt.TexCoord != nil {
			tc = *tt.TexCoord
		}
		out = append(out, texRef{p + "/" + name, ti.Index, tc})
	}
	if pbr := m.PBRMetallicRoughness; pbr != nil {
		add("pbrMetallicRoughness/baseColorTexture", pbr.BaseColorTexture)
		add("pbrMetallicRoughness/metallicRoughnessTexture", pbr.MetallicRoughnessTexture)
	}
	if n := m.NormalTexture; n != nil {
		add("normalTexture", &TextureInfo{Index: n.Index, TexCoord: n.TexCoord, Extensions: n.Extensions})
	}
	if o := m.OcclusionTexture; o != nil {
		add("occlusionTexture", &TextureInfo{Index: o.Index, TexCoord: o.TexCoord, Extensions: o.Extensions})
	}
	add("emissiveTexture", m.EmissiveTexture)
	return out
}

func (v *validator) materials() {
	for i := range v.doc.Materials {
		m := &v.doc.Materials[i]
		p := ptr("materials", i)
		for _, r := range materialTexRefs(m, p) {
			v.ref(r.pointer+"/index", r.index, len(v.doc.Textures), "texture")
		}
		if m.AlphaCutoff != nil && m.AlphaModeOrDefault() != AlphaMask {
			v.rep.addf(SeverityWarning, "MATERIAL_ALPHA_CUTOFF_INVALID_MODE", p+"/alphaCutoff", "alphaCutoff only applies to alphaMode MASK")
		}
		if _, ok := m.Extensions[ExtMaterialsEmissiveStrength]; ok && (m.EmissiveFactor == nil || *m.EmissiveFactor == [3]float64{}) {
			v.rep.addf(SeverityWarning, "KHR_MATERIALS_EMISSIVE_STRENGTH_ZERO_FACTOR", p+"/extensions/"+ExtMaterialsEmissiveStrength, "emissive strength has no effect when emissiveFactor is zero")
		}
	}
}

// primitiveMaterial checks the material of a primitive and that the
// primitive has every TEXCOORD set the material samples.
func (v *validator) primitiveMaterial(pr *Primitive, p string) {
	if pr.Material == nil || !v.ref(p+"/material", *pr.Material, len(v.doc.Materials), "material") {
		return
	}
	m := &v.doc.Materials[*pr.Material]
	for _, r := range materialTexRefs(m, ptr("materials", *pr.Material)) {
		// The set itself must be there: a TEXCOORD_1 does not stand in
		// for a missing TEXCOORD_0.
		if _, ok := pr.Attributes["TEXCOORD_"+strconv.Itoa(r.texCoord)]; !ok {
			v.rep.addf(SeverityError, "MESH_PRIMITIVE_TOO_FEW_TEXCOORDS", p+"/material", "material %d samples %s with TEXCOORD_%d, which this primitive does not have", *pr.Material, r.pointer, r.texCoord)
		}
	}
}

func (v *validator) textures() {
	for i, t := range v.doc.Textures {
		p := ptr("textures", i)
		if t.Sampler != nil {
			v.ref(p+"/sampler", *t.Sampler, len(v.doc.Samplers), "sampler")
		}
		if t.Source != nil && v.ref(p+"/source", *t.Source, len(v.doc.Images), "image") {
			im := &v.doc.Images[*t.Source]
			if im.MimeType != "" && im.MimeType != "image/png" && im.MimeType != "image/jpeg" {
				v.rep.addf(SeverityError, "TEXTURE_INVALID_IMAGE_MIME_TYPE", p+"/source", "a texture source must be a PNG or JPEG image, not %s (other formats need an extension)", im.MimeType)
			}
		}
	}
}

// ImageData returns the encoded bytes of image idx, whether it is stored in
// a buffer view or came from a URI (data URI or zip file).
func (d *Document) ImageData(idx int) ([]byte, error) {
	if idx < 0 || idx >= len(d.Images) {
		return nil, errors.New("image " + strconv.Itoa(idx) + " does not exist")
	}
	im := &d.Images[idx]
	if im.BufferView != nil {
		return bufferViewData(d, *im.BufferView)
	}
	if im.Data == nil {
		return nil, errors.New("the data of image " + strconv.Itoa(idx) + " is not available")
	}
	return im.Data, nil
}

// ImageMIME names the format of encoded image data by its signature
// (image/png, image/jpeg, image/webp, image/ktx2), or "" when unknown.
func ImageMIME(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "image/webp"
	case bytes.HasPrefix(b, []byte("\xABKTX 20\xBB\r\n\x1A\n")):
		return "image/ktx2"
	}
	return ""
}

func (v *validator) images() {
	for i := range v.doc.Images {
		im := &v.doc.Images[i]
		p := ptr("images", i)
		if im.BufferView != nil {
			if !v.ref(p+"/bufferView", *im.BufferView, len(v.doc.BufferViews), "buffer view") {
				continue
			}
			bvi := *im.BufferView
			if v.doc.BufferViews[bvi].ByteStride != 0 {
				v.rep.addf(SeverityError, "IMAGE_BUFFER_VIEW_WITH_BYTESTRIDE", p+"/bufferView", "buffer view %d holds image data and must not have a byteStride", bvi)
			}
			v.useView(p+"/bufferView", bvi, viewImage)
		}
		data, err := v.doc.ImageData(i)
		if err != nil || len(data) == 0 {
			continue // missing data is reported with its buffer or URI
		}
		kind := ImageMIME(data)
		switch {
		case kind == "":
			v.rep.addf(SeverityWarning, "IMAGE_UNRECOGNIZED_FORMAT", p, "the image data is neither PNG nor JPEG")
			continue
		case im.MimeType != "" && im.MimeType != kind:
			v.rep.addf(SeverityError, "IMAGE_MIME_TYPE_INVALID", p, "the image is a %s but its mimeType says %s", kind, im.MimeType)
			continue
		case kind != "image/png" && kind != "image/jpeg":
			ext := map[string]string{"image/webp": "EXT_texture_webp", "image/ktx2": "KHR_texture_basisu"}[kind]
			if !containsStr(v.doc.ExtensionsUsed, ext) {
				v.rep.addf(SeverityError, "IMAGE_NON_ENABLED_MIME_TYPE", p, "%s images need the %s extension", kind, ext)
			}
			continue
		}
		v.imageHeader(p, data)
	}
}

// imageHeader reads a PNG or JPEG header (not the pixels) to catch truncated
// or corrupt images before a renderer trips on them.
func (v *validator) imageHeader(p string, data []byte) {
	_, _, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err == nil:
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		v.rep.addf(SeverityError, "IMAGE_UNEXPECTED_EOS", p, "the image data ends unexpectedly: it is truncated")
	case isUnsupported(err):
		v.rep.addf(SeverityWarning, "IMAGE_FEATURES_UNSUPPORTED", p, "the image uses features some viewers do not support: %v", err)
	default:
		v.rep.addf(SeverityError, "IMAGE_DATA_INVALID", p, "the image data is invalid: %v", err)
	}
}

// isUnsupported tells "valid image, feature the Go decoder lacks" from
// corrupt data: only the latter is an error.
func isUnsupported(err error) bool {
	var pe png.UnsupportedError
	var je jpeg.UnsupportedError
	return errors.As(err, &pe) || errors.As(err, &je)
}
