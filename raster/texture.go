package raster

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // glTF textures are PNG or JPEG; WebP through EXT_texture_webp
	_ "image/png"

	_ "golang.org/x/image/webp"

	"github.com/luneo/luneo/gltf"
)

// decodeImage decodes image idx of doc after checking its header: an image
// whose header cannot be read or that is larger than MaxImagePixels is
// refused before any pixel is allocated.
func decodeImage(doc *gltf.Document, idx int) (image.Image, error) {
	data, err := doc.ImageData(idx)
	if err != nil {
		return nil, err
	}
	info, err := gltf.ReadImageInfo(data)
	if err != nil {
		return nil, fmt.Errorf("image %d: %w", idx, err)
	}
	if info.MimeType == "image/ktx2" {
		return nil, fmt.Errorf("image %d: KTX2 textures are not supported", idx)
	}
	if err := checkPixels(info.Width, info.Height); err != nil {
		return nil, fmt.Errorf("image %d: %w", idx, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image %d: %w", idx, err)
	}
	return img, nil
}

func checkPixels(w, h int) error {
	if w <= 0 || h <= 0 || int64(w)*int64(h) > MaxImagePixels {
		return fmt.Errorf("%d×%d pixels is more than the %d-pixel limit: %w", w, h, MaxImagePixels, ErrLimit)
	}
	return nil
}

// toNRGBA copies img into straight-alpha 8-bit RGBA bytes, row after row
// without padding. The common decoder outputs have fast paths.
func toNRGBA(img image.Image) (pix []uint8, w, h int) {
	r := img.Bounds()
	w, h = r.Dx(), r.Dy()
	pix = make([]uint8, 4*w*h)
	switch src := img.(type) {
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			copy(pix[4*w*y:4*w*(y+1)], src.Pix[src.PixOffset(r.Min.X, r.Min.Y+y):])
		}
	case *image.YCbCr:
		// Straight from the planes, a row at a time: YCbCrAt (or even
		// the offset methods) per pixel costs about twice as much, and
		// the JPEG textures of real models are 2048² and 4:2:0.
		i := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			yRow := src.Y[src.YOffset(r.Min.X, y):]
			c0 := src.COffset(r.Min.X, y)
			halfX := src.SubsampleRatio == image.YCbCrSubsampleRatio420 || src.SubsampleRatio == image.YCbCrSubsampleRatio422
			for x := 0; x < w; x++ {
				ci := c0 + x
				if halfX {
					// COffset halves absolute x: adjust for an odd Min.X.
					ci = c0 + (r.Min.X+x)/2 - r.Min.X/2
				} else if src.SubsampleRatio != image.YCbCrSubsampleRatio444 {
					ci = src.COffset(r.Min.X+x, y)
				}
				pix[i], pix[i+1], pix[i+2] = color.YCbCrToRGB(yRow[x], src.Cb[ci], src.Cr[ci])
				pix[i+3] = 255
				i += 4
			}
		}
	case *image.Paletted:
		// Indexed PNGs (common for baked textures): the palette once.
		var pal [256][4]uint8
		for k, c := range src.Palette[:min(len(src.Palette), 256)] {
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			pal[k] = [4]uint8{n.R, n.G, n.B, n.A}
		}
		i := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := src.Pix[src.PixOffset(r.Min.X, y):][:w]
			for _, k := range row {
				copy(pix[i:i+4], pal[k][:])
				i += 4
			}
		}
	case *image.Gray:
		i := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				g := src.Pix[src.PixOffset(x, y)]
				pix[i], pix[i+1], pix[i+2], pix[i+3] = g, g, g, 255
				i += 4
			}
		}
	default:
		i := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				pix[i], pix[i+1], pix[i+2], pix[i+3] = c.R, c.G, c.B, c.A
				i += 4
			}
		}
	}
	return pix, w, h
}
