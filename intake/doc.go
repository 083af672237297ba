// Package intake checks and normalises what brands and shoppers upload to be
// printed: images (PNG, JPEG, WebP) and fonts (TTF, OTF).
//
// Every upload is hostile until proven otherwise. Formats are recognised by
// their magic bytes, never by a file name or a Content-Type. Image sizes are
// read from the headers and checked against Limits before a single pixel is
// decoded, so a 100000×100000 header costs a few hundred bytes of reading,
// not gigabytes of memory. Decoded images come out as 8-bit NRGBA in sRGB,
// turned the way the camera's EXIF orientation says, so what the compositor
// draws is what the shopper saw in their browser.
//
// Choices made for inputs a browser shows but a print shop would not want:
//   - Animated PNGs (APNG) are accepted: the default image (what viewers
//     without animation show, usually the first frame) is used.
//   - Animated WebPs are refused: the decoder reads no animation frames.
//   - CMYK JPEGs are refused: converting them without the printer's
//     profile shifts colours; the brand is asked for an RGB file.
//   - 16-bit PNGs are reduced to 8 bits a channel.
//   - ICC profiles of the matrix/TRC kind (sRGB, Display P3, Adobe RGB, the
//     usual camera and phone profiles, and grey profiles) are converted to
//     sRGB. LUT-only profiles are ignored and the pixels taken as sRGB, as
//     browsers without colour management do; a damaged profile is refused.
//
// The package is pure: it never imports Luneo's internal packages.
package intake

import "errors"

// The sentinels every error of this package wraps, so a caller can map them
// to a status (415, 413, 422) while showing the message, which says what is
// wrong in words a brand understands.
var (
	// ErrUnsupported is a file of a kind Luneo does not take (a GIF, a WOFF2
	// font, a font collection, a CMYK JPEG, an animated WebP).
	ErrUnsupported = errors.New("unsupported file")
	// ErrTooLarge is a file, an image side or a pixel count over the limits.
	ErrTooLarge = errors.New("file too large")
	// ErrCorrupt is a file of a supported kind that cannot be read: truncated,
	// inconsistent headers, damaged tables or pixel data.
	ErrCorrupt = errors.New("damaged file")
)

// Default limits, used for every zero field of Limits.
const (
	// DefaultMaxBytes is the largest encoded image accepted: 32 MiB.
	DefaultMaxBytes int64 = 32 << 20
	// DefaultMaxSide is the longest side accepted, in pixels: 8192, which
	// covers a 170 mm print zone at 1200 DPI.
	DefaultMaxSide = 8192
	// DefaultMaxPixels is the most pixels accepted: 32 Mi (for example
	// 8192×4096), 128 MiB once decoded to NRGBA.
	DefaultMaxPixels int64 = 32 << 20
	// DefaultMaxFontBytes is InspectFont's limit when maxBytes is zero or
	// negative: 16 MiB, enough for large pan-Unicode fonts.
	DefaultMaxFontBytes int64 = 16 << 20
)

// Limits bound one upload; zero fields mean the package defaults
// (DefaultMaxBytes, DefaultMaxSide, DefaultMaxPixels). Decoding peaks at
// about 12 bytes a pixel (the decoder's image, the NRGBA copy and, for a
// turned image, its rotation); a progressive JPEG adds its coefficients
// (4 bytes a sample, up to 12 a pixel) while it decodes.
type Limits struct {
	MaxBytes  int64
	MaxSide   int
	MaxPixels int64
}

// withDefaults fills the zero (or negative) fields.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l
}
