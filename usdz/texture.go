package usdz

import (
	"bytes"
	"hash/maphash"
	"image"
	"image/color"

	"github.com/luneo/luneo/gltf"
)

// texKind says what a material needs from an image: the image itself or
// one of its channels as a grayscale map.
type texKind int

const (
	kindColor texKind = iota
	kindR
	kindG
	kindB
)

// jpegQuality is the quality of JPEG textures re-encoded after scaling
// (the gltf optimizer uses the same).
const jpegQuality = 90

type texKey struct {
	image int
	kind  texKind
}

// texJob is an image file of the package: its name is decided when a
// material first needs it, its bytes by encode, after the whole stage is
// written, several at a time.
type texJob struct {
	name  string
	img   int
	kind  texKind
	mime  string
	data  []byte // the glTF image
	w, h  int    // size in the package
	scale bool   // w×h is smaller than the image
	info  gltf.ImageInfo
	out   []byte
	warn  string
}

// textures builds the image files of the package, each once.
type textures struct {
	c     *converter
	byKey map[texKey]string // file path, "" when the image is unusable
	jobs  []*texJob
	files []file
	peak  int64 // most bytes reserved at once by encodeAll

	seed      maphash.Seed
	byContent map[sameImage][]*texJob
	gray      map[string]bool // files of one-channel images (value in r)
}

// file returns the package path of glTF texture texIndex's image,
// converted as kind says. It returns "" (with a warning) when the texture
// has no usable PNG or JPEG image. Only headers are read here; pixels are
// processed by encodeAll.
func (t *textures) file(texIndex int, kind texKind) string {
	c := t.c
	if texIndex < 0 || texIndex >= len(c.doc.Textures) {
		c.warnf("a material refers to texture %d, which does not exist", texIndex)
		return ""
	}
	src := c.doc.Textures[texIndex].Source
	if src == nil || *src < 0 || *src >= len(c.doc.Images) {
		c.warnf("texture %d has no PNG or JPEG image (textures only in extensions such as WebP or KTX2 are not supported) and was left out", texIndex)
		return ""
	}
	key := texKey{*src, kind}
	if p, ok := t.byKey[key]; ok {
		return p
	}
	p := t.plan(*src, kind)
	t.byKey[key] = p
	return p
}

// plan checks image img and schedules its file: the image unchanged when
// it is a colour map within the size limit, scaled down when larger, a
// grayscale PNG of one channel for single-channel maps.
func (t *textures) plan(img int, kind texKind) string {
	c := t.c
	data, err := c.doc.ImageData(img)
	if err != nil {
		c.warnf("image %d could not be read and was left out: %v", img, err)
		return ""
	}
	mime := sniff(data)
	if mime == "" {
		c.warnf("image %d is neither PNG nor JPEG, which USDZ requires, and was left out", img)
		return ""
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		c.warnf("image %d could not be read and was left out: %v", img, err)
		return ""
	}
	j := &texJob{img: img, kind: kind, mime: mime, data: data, w: cfg.Width, h: cfg.Height}
	// The header reader knows bit depths DecodeConfig does not report.
	j.info = gltf.ImageInfo{MimeType: mime, Width: cfg.Width, Height: cfg.Height, BitDepth: 8, Levels: 1, Layers: 1}
	if info, err := gltf.ReadImageInfo(data); err == nil {
		j.info = info
	}
	limit := c.opts.MaxTextureSize
	if limit > 0 && max(cfg.Width, cfg.Height) > limit {
		j.scale = true
		j.w, j.h = gltf.FitSize(cfg.Width, cfg.Height, limit)
	}
	if (kind != kindColor || j.scale) && int64(cfg.Width)*int64(cfg.Height) > int64(c.opts.MaxImagePixels) {
		c.warnf("image %d is %d×%d, too large to decode for conversion, and was left out", img, cfg.Width, cfg.Height)
		return ""
	}
	if j.scale {
		c.warnf("image %d was scaled down from %d×%d to %d×%d (AR Quick Look recommends textures of at most %d pixels a side)", img, cfg.Width, cfg.Height, j.w, j.h, limit)
	}
	// Images with the same bytes (exporters often write one per
	// material) become one file.
	same := sameImage{maphash.Bytes(t.seed, data), kind}
	for _, o := range t.byContent[same] {
		if bytes.Equal(o.data, data) {
			return o.name
		}
	}
	t.byContent[same] = append(t.byContent[same], j)
	defer func() {
		t.gray[j.name] = kind == kindColor && (cfg.ColorModel == color.GrayModel || cfg.ColorModel == color.Gray16Model)
	}()
	j.name = "textures/image" + itoa(img)
	if kind != kindColor {
		j.name += "_" + []string{"r", "g", "b"}[kind-kindR]
	}
	// Channels keep their source's format: lossless stays lossless, and a
	// JPEG map stays about as small as it was.
	if mime == "image/jpeg" {
		j.name += ".jpg"
	} else {
		j.name += ".png"
	}
	t.jobs = append(t.jobs, j)
	return j.name
}

// sameImage keys images by content, to find duplicates.
type sameImage struct {
	hash uint64
	kind texKind
}

// blank is the 1×1 stand-in for an undecodable image: white (a neutral
// colour, full occlusion, full metal or roughness factor).
func blank(kind texKind) image.Image {
	if kind == kindColor {
		m := image.NewRGBA(image.Rect(0, 0, 1, 1))
		copy(m.Pix, []byte{255, 255, 255, 255})
		return m
	}
	m := image.NewGray(image.Rect(0, 0, 1, 1))
	m.Pix[0] = 255
	return m
}

// sniff returns the MIME type of PNG and JPEG data, "" for anything else.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg"
	}
	return ""
}
