package intake

import (
	"encoding/binary"
	"hash/crc32"
)

const pngMagic = "\x89PNG\r\n\x1a\n"

// inspectPNG checks the IHDR (first, 13 bytes, valid CRC, a valid depth for
// its colour type) and walks every chunk header to IEND, which catches a
// truncated file without inflating a byte. It notes iCCP, tRNS, eXIf and
// acTL on the way.
func inspectPNG(b []byte) (header, error) {
	h := header{info: ImageInfo{Format: "png", Orientation: 1}}
	p := b[len(pngMagic):]
	if len(p) < 25 || binary.BigEndian.Uint32(p) != 13 || string(p[4:8]) != "IHDR" {
		return h, corrupt("the PNG has no valid header (IHDR)")
	}
	ihdr := p[8:21]
	if crc32.ChecksumIEEE(p[4:21]) != binary.BigEndian.Uint32(p[21:]) {
		return h, corrupt("the PNG header (IHDR) is damaged: its checksum does not match")
	}
	w, ht := binary.BigEndian.Uint32(ihdr[0:]), binary.BigEndian.Uint32(ihdr[4:])
	if w > 1<<31-1 || ht > 1<<31-1 {
		return h, corrupt("the PNG header gives an impossible size")
	}
	h.info.Width, h.info.Height = int(w), int(ht)
	depth, ctype := ihdr[8], ihdr[9]
	if !pngDepthValid(ctype, depth) {
		return h, corrupt("the PNG header gives colour type %d with %d bits, which PNG does not allow", ctype, depth)
	}
	if ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1 {
		return h, corrupt("the PNG header names an unknown compression, filter or interlace method")
	}
	h.info.HasAlpha = ctype == 4 || ctype == 6

	p = p[25:]
	sawData := false
	for {
		if len(p) < 12 {
			return h, corrupt("the PNG is cut short (no end chunk)")
		}
		n := binary.BigEndian.Uint32(p)
		typ := string(p[4:8])
		if uint64(n)+12 > uint64(len(p)) {
			return h, corrupt("the PNG is cut short (chunk %q runs past the end of the file)", typ)
		}
		data := p[8 : 8+n]
		switch typ {
		case "IDAT":
			sawData = true
		case "tRNS":
			h.info.HasAlpha = true
		case "iCCP":
			if h.icc == nil {
				icc, err := pngICCPayload(data)
				if err != nil {
					return h, err
				}
				h.icc, h.iccZlib, h.info.HasICC = [][]byte{icc}, true, true
			}
		case "eXIf":
			h.info.Orientation = exifOrientation(data)
		case "acTL":
			h.animated = true
		case "IEND":
			if !sawData {
				return h, corrupt("the PNG has no image data")
			}
			return h, nil
		}
		p = p[12+n:]
	}
}

// pngICCPayload skips the profile name (1–79 bytes, NUL-terminated) and the
// compression method (0, zlib) of an iCCP chunk.
func pngICCPayload(data []byte) ([]byte, error) {
	for i := 0; i < len(data) && i < 80; i++ {
		if data[i] == 0 {
			if i == 0 || i+1 >= len(data) || data[i+1] != 0 {
				break
			}
			return data[i+2:], nil
		}
	}
	return nil, corrupt("the PNG's colour profile (iCCP) is damaged")
}

// pngDepthValid is the table of allowed bit depths per colour type (PNG
// specification, 11.2.2).
func pngDepthValid(ctype, depth byte) bool {
	switch ctype {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		return depth == 8 || depth == 16
	}
	return false
}
