package gltf

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
)

// jpegQuality is the quality of re-encoded JPEG textures: visually lossless
// for textures, and what most tools default to.
const jpegQuality = 90

// downscale decodes an image whose longer side exceeds limit, scales it so
// that side is limit (aspect ratio kept) and encodes it in the same format.
// It returns nil, data when the image is small enough.
func downscale(data []byte, mime string, limit, maxPixels int) (*ResizedImage, []byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, data, fmt.Errorf("read image header: %w", err)
	}
	w, h := cfg.Width, cfg.Height
	if max(w, h) <= limit {
		return nil, data, nil
	}
	if int64(w)*int64(h) > int64(maxPixels) {
		return nil, data, fmt.Errorf("the image is %d×%d, too large to decode for resizing", w, h)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, data, fmt.Errorf("decode image: %w", err)
	}
	nw, nh := fitSize(w, h, limit)
	dst := resample(src, nw, nh, mime == "image/jpeg")
	var buf bytes.Buffer
	if mime == "image/jpeg" {
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = png.Encode(&buf, dst)
	}
	if err != nil {
		return nil, data, fmt.Errorf("encode image: %w", err)
	}
	return &ResizedImage{MimeType: mime, FromWidth: w, FromHeight: h, Width: nw, Height: nh, BytesBefore: len(data), BytesAfter: buf.Len()}, buf.Bytes(), nil
}

// fitSize scales w×h so that its longer side is limit, keeping the aspect
// ratio (rounded, at least 1 pixel).
func fitSize(w, h, limit int) (int, int) {
	if w >= h {
		return limit, max(1, int(math.Round(float64(h)*float64(limit)/float64(w))))
	}
	return max(1, int(math.Round(float64(w)*float64(limit)/float64(h)))), limit
}

// catmullRom is the Catmull-Rom cubic (B=0, C=½): sharp, with little
// ringing, the usual choice for downscaling textures.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// taps are the source samples and weights of one output sample.
type taps struct {
	start   int
	weights []float32
}

// filterTaps computes, for each of dstN output samples, the weights of the
// source samples. When shrinking, the kernel is widened by the scale factor
// so that every source pixel contributes (no aliasing); samples past the
// edges are clamped to the edge pixel.
func filterTaps(srcN, dstN int) []taps {
	scale := float64(srcN) / float64(dstN)
	stretch := max(scale, 1)
	support := 2 * stretch
	out := make([]taps, dstN)
	for i := range out {
		center := (float64(i)+0.5)*scale - 0.5
		lo := int(math.Ceil(center - support))
		hi := int(math.Floor(center + support))
		first, last := max(lo, 0), min(hi, srcN-1)
		w := make([]float64, last-first+1)
		sum := 0.0
		for j := lo; j <= hi; j++ {
			k := catmullRom((float64(j) - center) / stretch)
			w[min(max(j, first), last)-first] += k
			sum += k
		}
		t := taps{start: first, weights: make([]float32, len(w))}
		for j := range w {
			t.weights[j] = float32(w[j] / sum)
		}
		out[i] = t
	}
	return out
}

// resample scales src to w×h with a separable Catmull-Rom filter applied to
// premultiplied colour, so transparent pixels do not bleed their colour
// into visible ones. Gray images stay gray, 16-bit images 16-bit; opaque
// output (for JPEG) is an *image.RGBA, the rest non-premultiplied like PNG.
func resample(src image.Image, w, h int, opaque bool) image.Image {
	b := src.Bounds()
	nch, read := rowReader(src)
	xt, yt := filterTaps(b.Dx(), w), filterTaps(b.Dy(), h)
	ringN := 0
	for _, t := range yt {
		ringN = max(ringN, len(t.weights))
	}
	// ring holds horizontally filtered source rows, row r in slot r%ringN:
	// each output row needs a window of rows that only moves down.
	ring := make([][]float32, ringN)
	rowIn := make([]int, ringN)
	for i := range ring {
		ring[i] = make([]float32, w*nch)
		rowIn[i] = -1
	}
	line := make([]float32, b.Dx()*nch)
	acc := make([]float32, w*nch)
	put := writer(src, w, h, nch, opaque)
	for y, t := range yt {
		clear(acc)
		for k, wy := range t.weights {
			r := t.start + k
			slot := r % ringN
			if rowIn[slot] != r {
				read(b.Min.Y+r, line)
				filterRow(ring[slot], line, xt, nch)
				rowIn[slot] = r
			}
			row := ring[slot]
			for i := range acc {
				acc[i] += wy * row[i]
			}
		}
		put.row(y, acc)
	}
	return put.img
}

// filterRow filters one row of nch-channel samples horizontally.
func filterRow(dst, src []float32, xt []taps, nch int) {
	for x, t := range xt {
		var s [4]float32
		base := t.start * nch
		for k, wx := range t.weights {
			p := src[base+k*nch : base+k*nch+nch]
			for c := range p {
				s[c] += wx * p[c]
			}
		}
		copy(dst[x*nch:x*nch+nch], s[:nch])
	}
}
