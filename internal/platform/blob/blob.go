// Package blob stores binary objects (models, textures, renders, exports) behind
// one small interface with two backends: a local folder (the embedded default)
// and any S3-compatible object store. The rest of Luneo only ever sees Store.
package blob

import (
	"context"
	"errors"
	"io"
	"time"
)

// Errors every backend returns (wrapped) so callers can branch with errors.Is.
var (
	// ErrNotFound means no object exists under the key.
	ErrNotFound = errors.New("blob: not found")
	// ErrTooLarge means a Put stream exceeded PutOptions.MaxSize; nothing was stored.
	ErrTooLarge = errors.New("blob: object larger than the allowed size")
	// ErrInvalidKey means the key is empty, too long, or could escape its namespace.
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrInvalidRange means a requested byte range lies outside the object.
	ErrInvalidRange = errors.New("blob: invalid range")
)

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	ModTime     time.Time
}

// PutOptions tune one Put.
type PutOptions struct {
	// ContentType is stored with the object and returned on Get and on signed URLs.
	// Empty means application/octet-stream.
	ContentType string
	// MaxSize, when > 0, is the largest accepted object in bytes. A longer stream
	// fails with ErrTooLarge and leaves no object (and no previous object is replaced).
	MaxSize int64
}

// Range selects bytes [Offset, Offset+Length) of an object; Length < 0 means to the end.
type Range struct {
	Offset int64
	Length int64
}

// URLOptions tune a signed URL.
type URLOptions struct {
	// Filename, when set, makes the browser download the object under that name.
	Filename string
	// ContentType is the object's media type when the caller already knows
	// it (the type it was stored with): S3 then signs it without a HEAD
	// request per URL, which a list of many files would pay in turn. Empty:
	// the stored type, looked up. The local store always serves the stored
	// type.
	ContentType string
}

// Store is what every blob backend provides. Keys are slash-separated relative
// paths such as "brands/42/models/abc.glb" (see ValidateKey).
type Store interface {
	// Put streams r into the object at key, replacing any previous object only
	// once the whole stream has been accepted.
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error)
	// Get opens the object (or the range of it, when rng is not nil). The caller closes it.
	// Info describes the whole object, even when only a range is read.
	Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error)
	// Stat describes the object without reading it.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for each object whose key starts with prefix, in no set order,
	// until fn returns false or an error occurs. Info.ContentType is left empty:
	// S3 listings do not carry it, so call Stat when it is needed.
	List(ctx context.Context, prefix string, fn func(Info) bool) error
	// SignedURL returns an absolute URL that lets anyone holding it GET the
	// object (with its stored Content-Type) until ttl has passed. ttl must lie
	// in (0, MaxURLTTL]; a missing object gives ErrNotFound.
	SignedURL(ctx context.Context, key string, ttl time.Duration, opts URLOptions) (string, error)
	// Ping reports whether the backend is reachable and usable.
	Ping(ctx context.Context) error
}
