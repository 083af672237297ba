package usdz

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"sync"

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
	out   []byte
	warn  string
}

// textures builds the image files of the package, each once.
type textures struct {
	c       *converter
	byKey   map[texKey]string // file path, "" when the image is unusable
	jobs    []*texJob
	decoded map[int]*decodeOnce
	files   []file

	seed      maphash.Seed
	byContent map[sameImage][]*texJob
}

// decodeOnce decodes an image and splits its channels at most once, for
// whichever job needs them first.
type decodeOnce struct {
	once, splitOnce sync.Once
	img             image.Image
	err             error
	ch              [3]*image.Gray
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

// encodeAll produces the bytes of every planned file, one goroutine per
// CPU (PNG compression of large maps dominates conversion time), and adds
// them to the package in plan order.
func (t *textures) encodeAll() {
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, j := range t.jobs {
		if j.kind == kindColor && !j.scale {
			j.out = j.data // passed through unchanged
			continue
		}
		d := t.decoded[j.img]
		if d == nil {
			d = &decodeOnce{}
			t.decoded[j.img] = d
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			j.encode(d)
		}()
	}
	wg.Wait()
	for _, j := range t.jobs {
		if j.warn != "" {
			t.c.warnf("%s", j.warn)
		}
		t.files = append(t.files, file{name: j.name, data: j.out})
	}
}

// encode decodes (once per image), scales and encodes a job's file. When
// the image turns out to be corrupt past its header, a 1×1 neutral image
// takes its place, so the layer's reference stays valid.
func (j *texJob) encode(d *decodeOnce) {
	d.once.Do(func() { d.img, _, d.err = image.Decode(bytes.NewReader(j.data)) })
	var out image.Image
	if d.err != nil {
		j.warn = fmt.Sprintf("image %d could not be decoded and was replaced by a blank texture: %v", j.img, d.err)
		j.w, j.h, j.scale = 1, 1, false
		out = blank(j.kind)
	} else if j.kind == kindColor {
		out = gltf.ResampleImage(d.img, j.w, j.h, j.mime == "image/jpeg")
	} else {
		d.splitOnce.Do(func() { d.ch = splitChannels(d.img) })
		out = d.ch[j.kind-kindR]
		if j.scale {
			out = gltf.ResampleImage(out, j.w, j.h, false)
		}
	}
	var buf bytes.Buffer
	var err error
	if j.mime == "image/jpeg" {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = png.Encode(&buf, out)
	}
	if err != nil { // cannot happen for in-memory images of these types
		j.warn = fmt.Sprintf("image %d could not be encoded: %v", j.img, err)
	}
	j.out = buf.Bytes()
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
