package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
)

// ErrInvalidContentType means PutOptions.ContentType is not a media type such
// as "model/gltf-binary". Backends reject it before storing anything because
// the value is later sent back verbatim as a Content-Type header.
var ErrInvalidContentType = errors.New("blob: invalid content type")

// defaultContentType is stored when a Put names no content type.
const defaultContentType = "application/octet-stream"

// maxContentTypeLen bounds the stored content type; real media types are far
// shorter, and the bound keeps the FS header and S3 metadata small.
const maxContentTypeLen = 255

// contentType returns the content type to store for opts.
func contentType(opts PutOptions) (string, error) {
	ct := opts.ContentType
	if ct == "" {
		return defaultContentType, nil
	}
	if len(ct) > maxContentTypeLen {
		return "", fmt.Errorf("%w: %d bytes, the limit is %d", ErrInvalidContentType, len(ct), maxContentTypeLen)
	}
	// ParseMediaType refuses control characters, so a stored type can never
	// split or inject HTTP headers when it is served back.
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidContentType, ct, err)
	}
	return ct, nil
}

// checkRange validates rng against an object of size bytes and returns the
// offset and length to read. A nil rng means the whole object. The whole
// range must lie inside the object, so a caller always gets exactly the bytes
// it asked for or ErrInvalidRange, never a silently shortened read.
func checkRange(rng *Range, size int64) (off, n int64, err error) {
	if rng == nil {
		return 0, size, nil
	}
	off, n = rng.Offset, rng.Length
	if off < 0 || off > size {
		return 0, 0, fmt.Errorf("%w: offset %d of a %d-byte object", ErrInvalidRange, off, size)
	}
	if n < 0 {
		return off, size - off, nil
	}
	if n > size-off {
		return 0, 0, fmt.Errorf("%w: %d bytes at offset %d of a %d-byte object", ErrInvalidRange, n, off, size)
	}
	return off, n, nil
}

// limitedReader passes r through until more than max bytes have been read,
// then fails with ErrTooLarge. Unlike io.LimitReader it turns the excess into
// an error, which makes both backends abandon the upload instead of storing a
// truncated object.
type limitedReader struct {
	ctx  context.Context
	r    io.Reader
	max  int64 // <= 0 means no limit
	read int64
}

// Read implements io.Reader.
func (l *limitedReader) Read(p []byte) (int, error) {
	// Checking ctx per read lets a cancelled request stop a long upload even
	// when the source reader itself ignores cancellation.
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.max > 0 && int64(len(p)) > l.max-l.read+1 {
		// Never read further than one byte past the limit: that byte is
		// enough to prove the stream is too large.
		p = p[:l.max-l.read+1]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.max > 0 && l.read > l.max {
		return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, l.max)
	}
	return n, err
}
