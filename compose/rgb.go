package compose

import (
	"image"
	"image/color"
)

// rgbImage is an opaque 8-bit RGB image kept as PNG stores it once
// un-filtered: rows of stride bytes, each led by its filter byte, pixel
// (x, y) at pix[y*stride+1+3x]. The fast PNG decoder returns it for RGB
// files inside a render so the resampler reads the decoded rows directly:
// no 4-byte copy of the image (17 MB for 2048²) is made or walked.
// Everything else converts it with toRGBA first.
type rgbImage struct {
	pix    []byte
	stride int
	rect   image.Rectangle // Min is (0, 0)
}

// ColorModel implements image.Image.
func (m *rgbImage) ColorModel() color.Model { return color.RGBAModel }

// Bounds implements image.Image.
func (m *rgbImage) Bounds() image.Rectangle { return m.rect }

// At implements image.Image.
func (m *rgbImage) At(x, y int) color.Color {
	if !(image.Point{x, y}.In(m.rect)) {
		return color.RGBA{}
	}
	i := y*m.stride + 1 + 3*x
	return color.RGBA{m.pix[i], m.pix[i+1], m.pix[i+2], 255}
}

// Opaque reports that every pixel is opaque.
func (m *rgbImage) Opaque() bool { return true }

// toRGBA returns img as *image.RGBA when it is an rgbImage (converted),
// else img unchanged.
func toRGBA(img image.Image) image.Image {
	m, ok := img.(*rgbImage) // a nil image stays nil
	if !ok {
		return img
	}
	out := image.NewRGBA(m.rect)
	w := m.rect.Dx()
	for y := 0; y < m.rect.Dy(); y++ {
		src := m.pix[y*m.stride+1 : y*m.stride+1+3*w]
		dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x, i := 0, 0; x+3 <= len(src) && i+4 <= len(dst); x, i = x+3, i+4 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = src[x], src[x+1], src[x+2], 255
		}
	}
	return out
}

// rows is the resampler's view of a source: row y's pixels start at
// pix[start(y)], bpp bytes each (4: premultiplied RGBA; 3: opaque RGB).
type rows struct {
	pix          []byte
	stride, lead int // row y of the rectangle starts at lead + y*stride
	bpp          int
	rect         image.Rectangle
}

// rowsOf is the row view of an RGBA or RGB image; ok is false otherwise.
func rowsOf(img image.Image) (rows, bool) {
	switch m := img.(type) {
	case *image.RGBA:
		return rows{pix: m.Pix, stride: m.Stride, lead: 0, bpp: 4, rect: m.Rect}, true
	case *rgbImage:
		return rows{pix: m.pix, stride: m.stride, lead: 1, bpp: 3, rect: m.rect}, true
	}
	return rows{}, false
}

// row returns row sy (absolute) from x = rect.Min.X.
func (r rows) row(sy int) []byte {
	s := r.lead + (sy-r.rect.Min.Y)*r.stride
	return r.pix[s : s+r.bpp*r.rect.Dx()]
}
