package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// fsReader is an open object: a view of the data part of its file that
// closes the file when done.
type fsReader struct {
	*io.SectionReader
	file *os.File
}

// Close implements io.Closer.
func (r *fsReader) Close() error { return r.file.Close() }

// openObject opens the object file for key and parses its header. The
// caller closes the returned file.
func (f *FS) openObject(ctx context.Context, key string) (*os.File, fsObject, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, fsObject{}, Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fsObject{}, Info{}, err
	}
	root, err := f.open()
	if err != nil {
		return nil, fsObject{}, Info{}, err
	}
	defer root.Close() // an open file stays usable after its Root closes
	file, err := root.Open(key)
	if isNotFound(err) {
		return nil, fsObject{}, Info{}, ErrNotFound
	}
	if err != nil {
		return nil, fsObject{}, Info{}, err
	}
	obj, info, err := objectInfo(file, key)
	if err != nil {
		file.Close()
		return nil, fsObject{}, Info{}, err
	}
	return file, obj, info, nil
}

// objectInfo reads the header of an open object file.
func objectInfo(file *os.File, key string) (fsObject, Info, error) {
	fi, err := file.Stat()
	if err != nil {
		return fsObject{}, Info{}, err
	}
	if !fi.Mode().IsRegular() {
		// A folder (the "a" of "a/b") or a device is not an object.
		return fsObject{}, Info{}, ErrNotFound
	}
	obj, err := readHeader(file, fi.Size())
	if err != nil {
		return fsObject{}, Info{}, err
	}
	return obj, Info{Key: key, Size: obj.size, ContentType: obj.meta.ContentType, ModTime: fi.ModTime()}, nil
}

// Get implements Store. Info describes the whole object even for a range.
func (f *FS) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	file, obj, info, err := f.openObject(ctx, key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob fs: get %q: %w", key, err)
	}
	off, n, err := checkRange(rng, info.Size)
	if err != nil {
		file.Close()
		return nil, Info{}, fmt.Errorf("blob fs: get %q: %w", key, err)
	}
	return &fsReader{SectionReader: io.NewSectionReader(file, obj.dataOff+off, n), file: file}, info, nil
}

// OpenSeeker opens the whole object for random access, as http.ServeContent
// needs to answer Range requests on signed URLs. The caller closes it.
func (f *FS) OpenSeeker(ctx context.Context, key string) (io.ReadSeekCloser, Info, error) {
	file, obj, info, err := f.openObject(ctx, key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob fs: open %q: %w", key, err)
	}
	return &fsReader{SectionReader: io.NewSectionReader(file, obj.dataOff, obj.size), file: file}, info, nil
}

// Stat implements Store.
func (f *FS) Stat(ctx context.Context, key string) (Info, error) {
	file, _, info, err := f.openObject(ctx, key)
	if err != nil {
		return Info{}, fmt.Errorf("blob fs: stat %q: %w", key, err)
	}
	file.Close()
	return info, nil
}

// List implements Store. It walks only the folders that can hold matching
// keys, skips the temp folder, symlinks and files whose names are not valid
// keys (they cannot be addressed through the Store anyway), and reports a
// file with a valid name but a damaged header as an error.
func (f *FS) List(ctx context.Context, prefix string, fn func(Info) bool) error {
	if err := validatePrefix(prefix); err != nil {
		return fmt.Errorf("blob fs: list: %w", err)
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()

	start := "."
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = prefix[:i]
	}
	err = fs.WalkDir(root.FS(), start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if isNotFound(err) {
				return nil // the start folder is absent or a folder vanished mid-walk
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if d.IsDir() {
			if p == fsTmpDir || (p != "." && !dirMayMatch(p, prefix)) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(p, prefix) || ValidateKey(p) != nil {
			return nil
		}
		info, err := f.listOne(root, p)
		if errors.Is(err, ErrNotFound) {
			return nil // deleted since the folder was read
		}
		if err != nil {
			return err
		}
		if !fn(info) {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("blob fs: list %q: %w", prefix, err)
	}
	return nil
}

// dirMayMatch reports whether the folder dir can contain keys with prefix.
func dirMayMatch(dir, prefix string) bool {
	return strings.HasPrefix(dir+"/", prefix) || strings.HasPrefix(prefix, dir+"/")
}

// listOne describes one object found by List. ContentType is left empty to
// match S3, whose listings do not carry it.
func (f *FS) listOne(root *os.Root, key string) (Info, error) {
	file, err := root.Open(key)
	if isNotFound(err) {
		return Info{}, ErrNotFound
	}
	if err != nil {
		return Info{}, err
	}
	defer file.Close()
	_, info, err := objectInfo(file, key)
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w", key, err)
	}
	info.ContentType = ""
	return info, nil
}
