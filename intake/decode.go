package intake

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// maxICCBytes bounds a PNG's inflated colour profile: real profiles are a
// few KB (matrix) to a few hundred KB (LUT); the bound stops a zlib bomb
// hidden in the iCCP chunk.
const maxICCBytes = 4 << 20

// DecodeImage checks like InspectImage first, then decodes, applies EXIF
// orientation and converts ICC-tagged images to sRGB (8-bit NRGBA out). The
// returned info is InspectImage's. ctx is checked between steps and on every
// read of the decoder, so a cancelled upload stops decoding soon.
func DecodeImage(ctx context.Context, b []byte, lim Limits) (*image.NRGBA, ImageInfo, error) {
	h, err := inspect(b, lim.withDefaults())
	if err != nil {
		return nil, ImageInfo{}, err
	}
	info := displayed(h.info)
	name := formatName[h.info.Format]
	if err := ctx.Err(); err != nil {
		return nil, info, fmt.Errorf("decode %s: %w", name, err)
	}
	r := &ctxReader{ctx: ctx, r: bytes.NewReader(b)}
	var img image.Image
	switch h.info.Format {
	case "png":
		img, err = png.Decode(r)
	case "jpeg":
		img, err = jpeg.Decode(r)
	default:
		img, err = webp.Decode(r)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, info, fmt.Errorf("decode %s: %w", name, ctx.Err())
		}
		return nil, info, corruptCause(err, "the %s's image data is damaged or cut short", name)
	}
	if s := img.Bounds().Size(); s.X != h.info.Width || s.Y != h.info.Height {
		return nil, info, corrupt("the %s's image data is %d×%d pixels but its header says %d×%d", name, s.X, s.Y, h.info.Width, h.info.Height)
	}
	channels := 3
	if isGray(img) {
		channels = 1
	}
	var icc *iccTransform
	if h.icc != nil {
		if icc, err = decodeICC(h, channels); err != nil {
			return nil, info, err
		}
	}
	out, err := toNRGBA(ctx, img)
	if err != nil {
		return nil, info, fmt.Errorf("convert %s: %w", name, err)
	}
	img = nil // let the decoder's image go before the turned copy is made
	if icc != nil {
		if err := convertICC(ctx, out, icc); err != nil {
			return nil, info, fmt.Errorf("convert %s to sRGB: %w", name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, info, fmt.Errorf("orient %s: %w", name, err)
	}
	return orient(out, h.info.Orientation), info, nil
}

// decodeICC assembles the stored profile (inflating a PNG's, within
// maxICCBytes) and parses it.
func decodeICC(h header, channels int) (*iccTransform, error) {
	var p []byte
	if h.iccZlib {
		zr, err := zlib.NewReader(bytes.NewReader(h.icc[0]))
		if err != nil {
			return nil, corruptCause(err, "the PNG's colour profile (iCCP) is damaged")
		}
		p, err = io.ReadAll(io.LimitReader(zr, maxICCBytes+1))
		if err != nil {
			return nil, corruptCause(err, "the PNG's colour profile (iCCP) is damaged")
		}
		if len(p) > maxICCBytes {
			return nil, tooLarge("the PNG's colour profile is larger than %s", sizeText(maxICCBytes))
		}
	} else {
		p = bytes.Join(h.icc, nil)
	}
	return parseICC(p, channels)
}

// convertICC applies t to every pixel, checking ctx every 64 rows.
func convertICC(ctx context.Context, img *image.NRGBA, t *iccTransform) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := range h {
		if y%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < len(row); x += 4 {
			t.apply(row[x : x+4 : x+4])
		}
	}
	return nil
}

// ctxReader fails reads once ctx is done, so the standard decoders, which
// take no context, stop at their next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
