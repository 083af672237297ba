package gltf

import (
	"encoding/binary"
	"fmt"
)

// GLB container constants (glTF 2.0 spec, "Binary glTF Layout").
const (
	glbMagic      = 0x46546C67 // "glTF" little-endian
	glbVersion    = 2
	glbHeaderLen  = 12
	chunkHeadLen  = 8
	chunkTypeJSON = 0x4E4F534A // "JSON"
	chunkTypeBIN  = 0x004E4942 // "BIN\0"
)

// glbChunks is what the container parser found.
type glbChunks struct {
	json   []byte // nil when there is no usable JSON chunk
	bin    []byte // the BIN chunk's data, aliasing the input
	hasBin bool
}

// parseGLB splits a GLB file held in memory into its chunks, reporting every
// container rule it breaks. It only slices b: no length read from the file
// is ever used to allocate, so a header claiming 4 GB costs nothing.
//
// The rules follow the spec; which of them are errors and which warnings
// (extra bytes after the declared length are only a warning, an unknown
// chunk type too) matches the Khronos validator, so both give the same
// verdict on the same file.
func parseGLB(b []byte, rep *Report) glbChunks {
	var out glbChunks
	size := int64(len(b))
	if size < glbHeaderLen {
		rep.addAt(SeverityError, "GLB_UNEXPECTED_END_OF_HEADER", size,
			"the file is %d bytes long, too short for the 12-byte GLB header: it is truncated or not a GLB file", size)
		return out
	}
	if m := binary.LittleEndian.Uint32(b); m != glbMagic {
		rep.addAt(SeverityError, "GLB_INVALID_MAGIC", 0,
			"the file does not start with the GLB magic \"glTF\" (found 0x%08x): it is not a binary glTF file", m)
		return out
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != glbVersion {
		rep.addAt(SeverityError, "GLB_INVALID_VERSION", 4,
			"GLB container version %d is not supported: only glTF 2.0 (version 2) is; re-export the model as glTF 2.0", v)
		return out
	}
	declared := int64(binary.LittleEndian.Uint32(b[8:]))
	if declared <= glbHeaderLen {
		rep.addAt(SeverityError, "GLB_LENGTH_TOO_SMALL", 8,
			"the header declares a total length of %d bytes, which leaves no room for the JSON chunk", declared)
	}

	pos := int64(glbHeaderLen)
	index := 0
	seenJSON, seenBIN, truncated := false, false, false
	for pos < size {
		if declared > glbHeaderLen && pos >= declared {
			break // bytes past the declared length: reported below as extra data
		}
		if size-pos < chunkHeadLen {
			rep.addAt(SeverityError, "GLB_UNEXPECTED_END_OF_CHUNK_HEADER", size,
				"the file ends inside a chunk header at byte %d: it is truncated", pos)
			truncated = true
			break
		}
		clen := int64(binary.LittleEndian.Uint32(b[pos:]))
		ctype := binary.LittleEndian.Uint32(b[pos+4:])
		start := pos
		dataStart := pos + chunkHeadLen
		end := dataStart + clen // int64: cannot overflow with a uint32 length
		if clen%4 != 0 {
			rep.addAt(SeverityError, "GLB_CHUNK_LENGTH_UNALIGNED", start,
				"the length of chunk %s (%d bytes) is not a multiple of 4 as the GLB format requires", chunkName(ctype), clen)
		}
		if declared > glbHeaderLen && end > declared {
			rep.addAt(SeverityError, "GLB_CHUNK_TOO_BIG", start,
				"chunk %s claims %d bytes, which goes past the total length of %d bytes declared in the header", chunkName(ctype), clen, declared)
		}
		if end > size {
			rep.addAt(SeverityError, "GLB_UNEXPECTED_END_OF_CHUNK_DATA", size,
				"chunk %s claims %d bytes but the file ends after %d: it is truncated", chunkName(ctype), clen, size-dataStart)
			truncated = true
			break
		}
		data := b[dataStart:end]
		switch ctype {
		case chunkTypeJSON:
			if clen == 0 {
				rep.addAt(SeverityError, "GLB_EMPTY_CHUNK", start, "the JSON chunk is empty")
			}
			if seenJSON {
				rep.addAt(SeverityError, "GLB_DUPLICATE_CHUNK", start, "the file has a second JSON chunk; a GLB has exactly one")
			} else if index == 0 {
				out.json = data
			}
			seenJSON = true
		case chunkTypeBIN:
			switch {
			case index == 0:
				rep.addAt(SeverityError, "GLB_UNEXPECTED_FIRST_CHUNK", start, "the first chunk must be the JSON chunk, found the BIN chunk")
			case seenBIN:
				rep.addAt(SeverityError, "GLB_DUPLICATE_CHUNK", start, "the file has a second BIN chunk; a GLB has at most one")
			case index != 1:
				rep.addAt(SeverityError, "GLB_UNEXPECTED_BIN_CHUNK", start, "the BIN chunk must come right after the JSON chunk")
			default:
				out.bin, out.hasBin = data, true
			}
			if clen == 0 {
				rep.addAt(SeverityInfo, "GLB_EMPTY_BIN_CHUNK", start, "an empty BIN chunk should be omitted")
			}
			seenBIN = true
		default:
			if index == 0 {
				rep.addAt(SeverityError, "GLB_UNEXPECTED_FIRST_CHUNK", start, "the first chunk must be the JSON chunk, found chunk type %s", chunkName(ctype))
			}
			rep.addAt(SeverityWarning, "GLB_UNKNOWN_CHUNK_TYPE", start, "unknown chunk type %s is ignored", chunkName(ctype))
		}
		index++
		pos = end
	}
	if !truncated {
		switch {
		case pos != declared:
			rep.addAt(SeverityError, "GLB_LENGTH_MISMATCH", pos,
				"the header declares a total length of %d bytes but the chunks end at byte %d", declared, pos)
		case pos < size:
			rep.addAt(SeverityWarning, "GLB_EXTRA_DATA", pos, "%d extra byte(s) after the end of the GLB are ignored", size-pos)
		}
	}
	if !seenJSON && !rep.HasErrors() {
		rep.addAt(SeverityError, "GLB_MISSING_JSON_CHUNK", glbHeaderLen, "the file has no JSON chunk")
	}
	return out
}

// chunkName renders a chunk type for messages: its ASCII name when
// printable, else hex.
func chunkName(t uint32) string {
	switch t {
	case chunkTypeJSON:
		return "JSON"
	case chunkTypeBIN:
		return "BIN"
	}
	var s [4]byte
	binary.LittleEndian.PutUint32(s[:], t)
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("0x%08x", t)
		}
	}
	return fmt.Sprintf("%q", string(s[:]))
}
