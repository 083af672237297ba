package compose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // uploads are PNG, JPEG or WebP
	"io"
	"os"
	"path/filepath"

	_ "github.com/gen2brain/webp" // registers the WebP decoder
)

// Sources opens the images a scene names in "src" and "mask". The caller
// decides what a src means: files next to the scene for the CLI, content
// addressed blobs in the app. Implementations must check dimensions from
// the header before decoding (DecodeImage does).
type Sources interface {
	Open(ctx context.Context, src string) (image.Image, error)
}

// DefaultMaxSourcePixels bounds one decoded source image (about 256 MB
// as RGBA).
const DefaultMaxSourcePixels = 64 << 20

// maxSourceFile bounds a source file read into memory.
const maxSourceFile = 256 << 20

// DirSources opens srcs as files under Dir; a src leaving Dir (".." or an
// absolute path outside it) is refused.
type DirSources struct {
	Dir string
	// MaxPixels bounds each image (0 = DefaultMaxSourcePixels).
	MaxPixels int64
	// Buffers, when set, lends decode buffers across Opens (a process
	// rendering scene after scene keeps one).
	Buffers *Buffers
}

var _ Sources = DirSources{}

// Open reads and decodes one image file under d.Dir.
func (d DirSources) Open(ctx context.Context, src string) (image.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(d.Dir)
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", src, err)
	}
	defer root.Close()
	name := src
	if filepath.IsAbs(name) {
		if name, err = filepath.Rel(d.Dir, src); err != nil {
			return nil, fmt.Errorf("image %q: outside the scene's folder", src)
		}
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", src, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", src, err)
	}
	if st.Size() > maxSourceFile {
		return nil, fmt.Errorf("image %q: file larger than %d bytes", src, maxSourceFile)
	}
	// One read into a buffer of the file's size (ReadAll would regrow it a
	// dozen times for a 12 MB PNG).
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("image %q: %w", src, err)
	}
	img, err := decodeImage(data, d.MaxPixels, true, d.Buffers)
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", src, err)
	}
	return img, nil
}

// ErrTooLarge is returned for an image whose header announces more
// pixels than allowed.
var ErrTooLarge = errors.New("image too large")

// DecodeImage decodes a PNG, JPEG or WebP after checking its header's
// dimensions against maxPixels (0 = DefaultMaxSourcePixels), so a
// decompression bomb is refused before any pixel memory is allocated.
// 8-bit non-interlaced PNGs take a faster path (decodePNG).
func DecodeImage(data []byte, maxPixels int64) (image.Image, error) {
	img, err := decodeImage(data, maxPixels, false, nil)
	return toRGBA(img), err
}

// decodeImage is DecodeImage; owned lets it reuse data's memory, buf lends
// the PNG inflate buffer.
func decodeImage(data []byte, maxPixels int64, owned bool, buf *Buffers) (image.Image, error) {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxSourcePixels
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("image has no pixels (%dx%d)", cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, fmt.Errorf("%w: %dx%d is more than %d pixels", ErrTooLarge, cfg.Width, cfg.Height, maxPixels)
	}
	if format == "png" {
		if img, ok, err := decodePNG(data, owned, buf); ok {
			if err != nil {
				return nil, fmt.Errorf("decode png: %w", err)
			}
			return img, nil
		}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", format, err)
	}
	return img, nil
}
