package intake

import (
	"bytes"
	"math"
)

// ImageInfo is what the headers say, orientation applied (Width/Height as
// displayed).
type ImageInfo struct {
	// Format is "png", "jpeg" or "webp", from the magic bytes.
	Format string
	// Width and Height are in pixels, as displayed: swapped from the stored
	// size when the orientation turns the image a quarter.
	Width, Height int
	// Orientation is the EXIF orientation, 1 to 8, 1 if there is none.
	Orientation int
	// HasICC is an embedded ICC colour profile (iCCP, APP2, ICCP chunk).
	HasICC bool
	// HasAlpha is a format or header that can carry transparency: PNG with
	// an alpha channel or tRNS chunk, WebP with alpha. JPEG never has it.
	HasAlpha bool
}

// header is what the format walkers find: the stored (unturned) size in
// info, and what decoding needs beside it.
type header struct {
	info ImageInfo
	// icc holds the profile's pieces as stored: one compressed iCCP payload
	// for PNG, the APP2 segments in order for JPEG, the ICCP chunk for WebP.
	icc      [][]byte
	iccZlib  bool
	animated bool
}

// InspectImage reads only headers (no pixel decode, no allocation
// proportional to pixels). It checks the file size, the format, the header's
// consistency and the size against lim, and says what it found.
func InspectImage(b []byte, lim Limits) (ImageInfo, error) {
	h, err := inspect(b, lim.withDefaults())
	if err != nil {
		return ImageInfo{}, err
	}
	return displayed(h.info), nil
}

// displayed swaps the size for the orientations that turn a quarter (5–8).
func displayed(info ImageInfo) ImageInfo {
	if info.Orientation >= 5 {
		info.Width, info.Height = info.Height, info.Width
	}
	return info
}

// formatName is how messages name a format.
var formatName = map[string]string{"png": "PNG", "jpeg": "JPEG", "webp": "WebP"}

func inspect(b []byte, lim Limits) (header, error) {
	if n := int64(len(b)); n > lim.MaxBytes {
		return header{}, tooLarge("the image is %s; at most %s are accepted", sizeText(n), sizeText(lim.MaxBytes))
	}
	if len(b) == 0 {
		return header{}, corrupt("the file is empty")
	}
	var (
		h   header
		err error
	)
	switch {
	case bytes.HasPrefix(b, []byte(pngMagic)):
		h, err = inspectPNG(b)
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		h, err = inspectJPEG(b)
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		h, err = inspectWebP(b)
	default:
		return header{}, unsupported("%s", notAnImage(b))
	}
	if err != nil {
		return header{}, err
	}
	if h.info.Orientation < 1 || h.info.Orientation > 8 {
		h.info.Orientation = 1
	}
	return h, checkSize(h.info, lim)
}

// checkSize holds the stored size against the limits, before any decoding.
func checkSize(info ImageInfo, lim Limits) error {
	name, w, h := formatName[info.Format], info.Width, info.Height
	if w <= 0 || h <= 0 {
		return corrupt("the %s header gives a size of %d×%d pixels", name, w, h)
	}
	if w > lim.MaxSide || h > lim.MaxSide {
		return tooLarge("%s is %d×%d pixels; at most %d per side are accepted", name, w, h, lim.MaxSide)
	}
	// Both sides are at most MaxSide (an int), so the product fits an int64
	// unless MaxSide itself is absurd; guard anyway.
	if int64(w) > math.MaxInt64/int64(h) || int64(w)*int64(h) > lim.MaxPixels {
		return tooLarge("%s is %d×%d pixels (%s); at most %s pixels are accepted",
			name, w, h, millions(int64(w)*int64(h)), millions(lim.MaxPixels))
	}
	return nil
}

// notAnImage names the common formats people try to upload, so the message
// tells them what to do instead of only "unsupported".
func notAnImage(b []byte) string {
	const want = "; upload a PNG, JPEG or WebP image"
	has := func(off int, s string) bool { return len(b) >= off+len(s) && string(b[off:off+len(s)]) == s }
	switch {
	case has(0, "GIF8"):
		return "GIF images are not accepted" + want
	case has(4, "ftypheic"), has(4, "ftypheix"), has(4, "ftypmif1"), has(4, "ftyphevc"):
		return "HEIC photos are not accepted (on an iPhone, choose “Most Compatible” or export as JPEG)" + want
	case has(4, "ftypavif"):
		return "AVIF images are not accepted" + want
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return "TIFF images are not accepted" + want
	case has(0, "BM"):
		return "BMP images are not accepted" + want
	case has(0, "%PDF"):
		return "PDF files are not accepted as images" + want
	case bytes.Contains(b[:min(len(b), 512)], []byte("<svg")):
		return "SVG drawings are not accepted" + want
	}
	return "this file is not a PNG, JPEG or WebP image"
}
