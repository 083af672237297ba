package blob

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// FS stores objects as files in a local folder: the embedded default, good
// for a single server. Object "a/b.glb" lives at <root>/a/b.glb, inside a
// small header that carries its content type (see fs_format.go).
//
// Every file access goes through os.Root, so neither a key nor a symlink
// planted in the folder can reach a file outside root. Keys that differ only
// in case collide on case-insensitive file systems, and a key cannot be both
// an object and a folder ("a" and "a/b"); the second Put of such a pair fails.
type FS struct {
	root    string // absolute path of the folder
	baseURL string // where the blob HTTP handler is mounted, without trailing '/'
	urlKey  []byte // HMAC key for signed URLs, derived from the master secret
	// now is the clock signed URLs start from; tests set it to sign URLs
	// that have already expired instead of waiting for them to.
	now func() time.Time
}

var _ Store = (*FS)(nil)

// fsTmpDir holds uploads in progress. It sits under root so the final rename
// stays on one file system (and is atomic), and its name contains '~', which
// ValidateKey refuses, so no key can ever address it.
const fsTmpDir = "~tmp"

// fsStaleTmp is how old a leftover upload must be before NewFS deletes it;
// generous so that another process sharing the folder never loses a live one.
const fsStaleTmp = 24 * time.Hour

// Folder and file modes: group-readable so an operator's group can back up
// the folder, never world-readable because objects belong to brands.
const (
	fsDirMode  = 0o750
	fsFileMode = 0o640
)

// NewFS returns an FS storing objects under root (created if missing).
// baseURL is the absolute URL at which the blob HTTP handler is reachable,
// such as "http://localhost:8080"; signed URLs point at baseURL + "/blobs/".
// secret must hold at least 32 bytes; only a key derived from it signs URLs.
func NewFS(root, baseURL string, secret []byte) (*FS, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("blob fs: secret must be at least 32 bytes, got %d", len(secret))
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("blob fs: base URL %q must be an absolute http(s) URL without query or fragment", baseURL)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("blob fs: resolve root %q: %w", root, err)
	}
	if err := os.MkdirAll(abs, fsDirMode); err != nil {
		return nil, fmt.Errorf("blob fs: create root: %w", err)
	}
	f := &FS{root: abs, baseURL: strings.TrimRight(baseURL, "/"), urlKey: deriveURLKey(secret), now: time.Now}
	if err := f.sweepTmp(time.Now()); err != nil {
		return nil, err
	}
	return f, nil
}

// deriveURLKey derives the URL signing key so the master secret, which other
// packages derive their own keys from, never signs anything directly.
func deriveURLKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("luneo blob url v1"))
	return m.Sum(nil)
}

// open returns a handle confined to the root folder. A fresh handle per call
// keeps FS free of a Close method and follows the folder if it is recreated.
func (f *FS) open() (*os.Root, error) {
	r, err := os.OpenRoot(f.root)
	if err != nil {
		return nil, fmt.Errorf("blob fs: open root: %w", err)
	}
	return r, nil
}

// sweepTmp deletes uploads left behind by a crash. Failures to delete are
// ignored: a leftover temp file wastes space but breaks nothing.
func (f *FS) sweepTmp(now time.Time) error {
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Close()
	entries, err := fs.ReadDir(r.FS(), fsTmpDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("blob fs: read temp folder: %w", err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > fsStaleTmp {
			_ = r.Remove(path.Join(fsTmpDir, e.Name()))
		}
	}
	return nil
}

// Put implements Store. The data is streamed into a temp file, synced, then
// renamed over the key, so readers see either the old object or the whole new
// one, and a failed or oversized upload leaves the old object untouched.
func (f *FS) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	if err := ValidateKey(key); err != nil {
		return Info{}, fmt.Errorf("blob fs: put: %w", err)
	}
	ct, err := contentType(opts)
	if err != nil {
		return Info{}, fmt.Errorf("blob fs: put %q: %w", key, err)
	}
	root, err := f.open()
	if err != nil {
		return Info{}, err
	}
	defer root.Close()

	tmp, size, mtime, err := writeTemp(ctx, root, r, fsMeta{ContentType: ct}, opts.MaxSize)
	if err != nil {
		return Info{}, fmt.Errorf("blob fs: put %q: %w", key, err)
	}
	if err := publish(root, tmp, key); err != nil {
		_ = root.Remove(tmp)
		return Info{}, fmt.Errorf("blob fs: put %q: %w", key, err)
	}
	return Info{Key: key, Size: size, ContentType: ct, ModTime: mtime}, nil
}

// writeTemp streams r into a new temp file under root and returns its name
// relative to root. On any error the temp file is already gone.
func writeTemp(ctx context.Context, root *os.Root, r io.Reader, m fsMeta, maxSize int64) (name string, size int64, mtime time.Time, err error) {
	if err := root.MkdirAll(fsTmpDir, fsDirMode); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("create temp folder: %w", err)
	}
	// tmp, not the named result, because error returns clear the result.
	tmp := path.Join(fsTmpDir, "put-"+rand.Text())
	file, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fsFileMode)
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("create temp file: %w", err)
	}
	defer func() {
		if cerr := file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close temp file: %w", cerr)
		}
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()

	header, err := encodeHeader(m)
	if err != nil {
		return "", 0, time.Time{}, err
	}
	if _, err := file.Write(header); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("write temp file: %w", err)
	}
	size, err = io.Copy(file, &limitedReader{ctx: ctx, r: r, max: maxSize})
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("write temp file: %w", err)
	}
	if err := patchSize(file, size); err != nil {
		return "", 0, time.Time{}, err
	}
	// Sync before the rename, or a crash could publish a name whose data
	// never reached the disk.
	if err := file.Sync(); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("sync temp file: %w", err)
	}
	fi, err := file.Stat()
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("stat temp file: %w", err)
	}
	return tmp, size, fi.ModTime(), nil
}

// publish renames the finished temp file onto key.
func publish(root *os.Root, tmp, key string) error {
	dir := path.Dir(key)
	var err error
	// A concurrent Delete may prune the (empty) parent folder between our
	// MkdirAll and Rename; trying again a few times rides that out.
	for range 3 {
		if err = root.MkdirAll(dir, fsDirMode); err != nil {
			return fmt.Errorf("create folder %q: %w", dir, err)
		}
		err = root.Rename(tmp, key)
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("move into place: %w", err)
	}
	// Syncing the folder makes the rename itself survive a crash. Not every
	// platform can sync a directory, so a failure here is not fatal.
	if d, derr := root.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Delete implements Store. Folders left empty are removed too, so the tree
// mirrors the live keys and a deleted "a/b" frees the name "a" for an object.
func (f *FS) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("blob fs: delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob fs: delete %q: %w", key, err)
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	fi, err := root.Lstat(key)
	if isNotFound(err) || (err == nil && fi.IsDir()) {
		return nil // a folder is not an object, so there is nothing to delete
	}
	if err != nil {
		return fmt.Errorf("blob fs: delete %q: %w", key, err)
	}
	if err := root.Remove(key); err != nil && !isNotFound(err) {
		return fmt.Errorf("blob fs: delete %q: %w", key, err)
	}
	// Remove fails on a folder that is not empty, which ends the climb.
	for dir := path.Dir(key); dir != "."; dir = path.Dir(dir) {
		if root.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// Ping implements Store by creating and removing a file in the temp folder,
// which proves the root exists, is a folder and is writable.
func (f *FS) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob fs: ping: %w", err)
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.MkdirAll(fsTmpDir, fsDirMode); err != nil {
		return fmt.Errorf("blob fs: ping: %w", err)
	}
	name := path.Join(fsTmpDir, "ping-"+rand.Text())
	if err := root.WriteFile(name, nil, fsFileMode); err != nil {
		return fmt.Errorf("blob fs: ping: root is not writable: %w", err)
	}
	if err := root.Remove(name); err != nil {
		return fmt.Errorf("blob fs: ping: %w", err)
	}
	return nil
}

// isNotFound reports whether err means a path does not name a file: either
// nothing is there, or a parent of it is a file ("a/b" when "a" is an object).
func isNotFound(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
