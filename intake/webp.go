package intake

import (
	"encoding/binary"
)

// inspectWebP walks the RIFF chunks. A simple file is one VP8 (lossy) or
// VP8L (lossless) chunk; an extended one starts with VP8X (canvas size and
// flags) and carries ICCP, EXIF, ALPH, ANIM/ANMF and the frame. The frame's
// own size must match the canvas: the decoder allocates from the frame.
func inspectWebP(b []byte) (header, error) {
	h := header{info: ImageInfo{Format: "webp", Orientation: 1}}
	riff := binary.LittleEndian.Uint32(b[4:])
	if uint64(riff)+8 > uint64(len(b)) || riff < 4 {
		return h, corrupt("the WebP is cut short")
	}
	p := b[12 : 8+riff]
	canvasW, canvasH, extended, sawFrame := 0, 0, false, false
	for first := true; len(p) > 0; first = false {
		if len(p) < 8 {
			return h, corrupt("the WebP is damaged: a chunk header is cut short")
		}
		typ, n := string(p[:4]), binary.LittleEndian.Uint32(p[4:])
		if uint64(n)+8 > uint64(len(p)) {
			return h, corrupt("the WebP is cut short (chunk %q runs past the end of the file)", typ)
		}
		data := p[8 : 8+n]
		if first && typ != "VP8 " && typ != "VP8L" && typ != "VP8X" {
			return h, corrupt("the WebP is damaged: it starts with an unknown chunk %q", typ)
		}
		switch typ {
		case "VP8X":
			if !first || len(data) < 10 {
				return h, corrupt("the WebP's extended header (VP8X) is damaged")
			}
			extended = true
			h.animated = data[0]&0x02 != 0
			h.info.HasAlpha = data[0]&0x10 != 0
			canvasW = int(uint32(data[4])|uint32(data[5])<<8|uint32(data[6])<<16) + 1
			canvasH = int(uint32(data[7])|uint32(data[8])<<8|uint32(data[9])<<16) + 1
		case "ANIM", "ANMF":
			h.animated = true
		case "ICCP":
			if h.icc == nil {
				h.icc, h.info.HasICC = [][]byte{data}, true
			}
		case "EXIF":
			h.info.Orientation = exifOrientation(data)
		case "ALPH":
			h.info.HasAlpha = true
		case "VP8 ", "VP8L":
			if sawFrame {
				return h, corrupt("the WebP has two image frames")
			}
			sawFrame = true
			if err := webpFrame(&h, typ, data); err != nil {
				return h, err
			}
		}
		// Chunks are padded to an even size; some writers drop the last pad.
		p = p[min(uint64(len(p)), uint64(n)+8+uint64(n&1)):]
	}
	if h.animated {
		return h, unsupported("animated WebP images are not accepted; upload a still image (PNG, JPEG or WebP)")
	}
	if !sawFrame {
		return h, corrupt("the WebP has no image data")
	}
	if extended && (canvasW != h.info.Width || canvasH != h.info.Height) {
		return h, corrupt("the WebP is damaged: its canvas is %d×%d pixels but its image %d×%d", canvasW, canvasH, h.info.Width, h.info.Height)
	}
	return h, nil
}

// webpFrame reads a VP8 key frame header or a VP8L header.
func webpFrame(h *header, typ string, d []byte) error {
	if typ == "VP8 " {
		if len(d) < 10 || d[0]&1 != 0 || d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A {
			return corrupt("the WebP's image header (VP8) is damaged")
		}
		h.info.Width = int(binary.LittleEndian.Uint16(d[6:]) & 0x3FFF)
		h.info.Height = int(binary.LittleEndian.Uint16(d[8:]) & 0x3FFF)
		return nil
	}
	if len(d) < 5 || d[0] != 0x2F {
		return corrupt("the WebP's image header (VP8L) is damaged")
	}
	v := binary.LittleEndian.Uint32(d[1:])
	if v>>29 != 0 {
		return corrupt("the WebP's image header (VP8L) names an unknown version")
	}
	h.info.Width, h.info.Height = int(v&0x3FFF)+1, int(v>>14&0x3FFF)+1
	if v>>28&1 != 0 {
		h.info.HasAlpha = true
	}
	return nil
}
