package usdz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// CheckError lists every way a package breaks the usdz layout rules.
type CheckError struct {
	Problems []string
}

// Error joins the problems, e.g. "not a valid usdz package: textures/a.png
// is compressed (method 8), usdz entries must be stored".
func (e *CheckError) Error() string {
	return "not a valid usdz package: " + strings.Join(e.Problems, "; ")
}

// allowedTypes are the file types a usdz package may hold (usdz file
// format specification, "Layout"): USD layers, images and audio.
var allowedTypes = map[string]bool{
	".usda": true, ".usdc": true, ".usd": true,
	".png": true, ".jpg": true, ".jpeg": true, ".exr": true, ".avif": true,
	".m4a": true, ".mp3": true, ".wav": true,
}

// maxProblems bounds the list a hostile archive can produce.
const maxProblems = 50

// Check verifies that r (size bytes) is laid out as a usdz package that USD
// readers, AR Quick Look's among them, can open in place: a zip whose
// entries are all stored uncompressed and unencrypted, with sizes in their
// local headers (no data descriptors), each file's data at a multiple of
// 64 bytes, the first entry a USD layer (.usda, .usdc or .usd), relative
// paths only, only the allowed file types, CRCs that match and PNG/JPEG
// files that are what their names say. It returns nil or a *CheckError
// (or a plain error when r is not a zip at all).
func Check(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
		err = nil // reported below, with the name, like any other bad path
	}
	if err != nil {
		return fmt.Errorf("not a valid usdz package: %w", err)
	}
	var probs []string
	add := func(format string, args ...any) {
		if len(probs) < maxProblems {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	if len(zr.File) == 0 {
		add("the archive is empty: the first entry must be a USD layer")
	}
	locals := readLocalHeaders(r, size, add)
	if len(locals) != len(zr.File) {
		add("the central directory lists %d entries but %d local headers follow each other from the start", len(zr.File), len(locals))
	}
	for i, f := range zr.File {
		name := f.Name
		if i == 0 && !isLayer(name) {
			add("the first entry is %q: it must be the root USD layer (.usda, .usdc or .usd)", name)
		}
		checkName(name, add)
		if f.Method != zip.Store {
			add("%s is compressed (method %d): usdz entries must be stored", name, f.Method)
		}
		if f.Flags&0x1 != 0 {
			add("%s is encrypted", name)
		}
		if f.Flags&0x8 != 0 {
			add("%s uses a data descriptor: sizes must be in the local header", name)
		}
		if i < len(locals) {
			l := locals[i]
			if l.name != name {
				add("entry %d is %q in the central directory but %q in its local header", i, name, l.name)
			}
			if l.flags&0x8 != 0 && f.Flags&0x8 == 0 {
				add("%s uses a data descriptor: sizes must be in the local header", name)
			}
			if l.size != f.CompressedSize64 || l.crc != f.CRC32 {
				add("%s: the local header's size or CRC differs from the central directory's", name)
			}
			if l.dataOffset%dataAlign != 0 {
				add("%s: its data starts at byte %d, not a multiple of %d", name, l.dataOffset, dataAlign)
			}
		}
		if f.Method == zip.Store && f.Flags&0x1 == 0 && !strings.HasSuffix(name, "/") {
			checkContent(f, add)
		}
	}
	if probs != nil {
		return &CheckError{Problems: probs}
	}
	return nil
}

// localHeader is what Check needs from one zip local file header.
type localHeader struct {
	name       string
	flags      uint16
	crc        uint32
	size       uint64
	dataOffset int64
}

// readLocalHeaders walks the local headers from the start of the archive,
// where a usdz reader finds them, until something else begins (normally
// the central directory).
func readLocalHeaders(r io.ReaderAt, size int64, add func(string, ...any)) []localHeader {
	var out []localHeader
	var h [localHeaderLen]byte
	for off := int64(0); off+localHeaderLen <= size; {
		if _, err := r.ReadAt(h[:], off); err != nil {
			break
		}
		if binary.LittleEndian.Uint32(h[0:]) != 0x04034b50 {
			break
		}
		flags := binary.LittleEndian.Uint16(h[6:])
		crc := binary.LittleEndian.Uint32(h[14:])
		csize := uint64(binary.LittleEndian.Uint32(h[18:]))
		nameLen := int64(binary.LittleEndian.Uint16(h[26:]))
		extraLen := int64(binary.LittleEndian.Uint16(h[28:]))
		if off+localHeaderLen+nameLen > size {
			break
		}
		name := make([]byte, nameLen)
		if _, err := r.ReadAt(name, off+localHeaderLen); err != nil {
			break
		}
		data := off + localHeaderLen + nameLen + extraLen
		out = append(out, localHeader{name: string(name), flags: flags, crc: crc, size: csize, dataOffset: data})
		if flags&0x8 != 0 {
			add("%s uses a data descriptor: sizes must be in the local header", name)
			break // the next header's position is not known without decompressing
		}
		off = data + int64(csize)
	}
	return out
}

// isLayer reports whether name is a USD layer a reader can open as root.
func isLayer(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".usda", ".usdc", ".usd":
		return true
	}
	return false
}

// checkName checks that an entry's path is relative, stays inside the
// package and has an allowed type.
func checkName(name string, add func(string, ...any)) {
	switch {
	case name == "":
		add("an entry has an empty name")
		return
	case strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || len(name) > 1 && name[1] == ':':
		add("%q is not a relative path with forward slashes", name)
	case strings.Contains(name, "\x00"):
		add("%q contains a NUL byte", name)
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			add("%q leaves the package (\"..\")", name)
			break
		}
	}
	if strings.HasSuffix(name, "/") {
		return // a folder entry: no data, no type
	}
	if ext := strings.ToLower(path.Ext(name)); !allowedTypes[ext] {
		add("%q has a file type usdz does not allow (only usda, usdc, usd, png, jpg, jpeg, exr, avif, m4a, mp3, wav)", name)
	}
}

// checkContent reads an entry through its CRC check and verifies that PNG
// and JPEG files start with their signatures.
func checkContent(f *zip.File, add func(string, ...any)) {
	rc, err := f.Open()
	if err != nil {
		add("%s: %v", f.Name, err)
		return
	}
	defer rc.Close()
	var head [8]byte
	n, _ := io.ReadFull(rc, head[:])
	if _, err := io.Copy(io.Discard, rc); err != nil {
		if errors.Is(err, zip.ErrChecksum) {
			add("%s: its CRC does not match its data", f.Name)
		} else {
			add("%s: %v", f.Name, err)
		}
		return
	}
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".png":
		if !bytes.HasPrefix(head[:n], []byte("\x89PNG\r\n\x1a\n")) {
			add("%s is not a PNG image", f.Name)
		}
	case ".jpg", ".jpeg":
		if !bytes.HasPrefix(head[:n], []byte{0xff, 0xd8, 0xff}) {
			add("%s is not a JPEG image", f.Name)
		}
	}
}
