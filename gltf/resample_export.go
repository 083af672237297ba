package gltf

import "image"

// ResampleImage scales src to w×h with the filter Optimize uses for
// oversized textures: a separable Catmull-Rom cubic, widened when
// shrinking so every source pixel contributes, applied to premultiplied
// colour so transparent pixels do not bleed into visible ones.
//
// Gray images stay gray (*image.Gray or *image.Gray16) and 16-bit colour
// stays 16-bit; opaque asks for an opaque *image.RGBA (what a JPEG encoder
// wants), anything else is non-premultiplied *image.NRGBA like a decoded
// PNG. w and h below 1 are taken as 1. Other packages (USDZ conversion,
// renders) use it so every Luneo texture is resized the same way.
func ResampleImage(src image.Image, w, h int, opaque bool) image.Image {
	b := src.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return image.NewNRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	}
	return resample(src, max(w, 1), max(h, 1), opaque)
}

// FitSize returns the size of a w×h image scaled so that its longer side is
// limit, keeping the aspect ratio (rounded, at least 1 pixel). Callers
// check first that the image is larger than limit.
func FitSize(w, h, limit int) (int, int) {
	return fitSize(w, h, limit)
}
