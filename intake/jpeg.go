package intake

import (
	"bytes"
	"encoding/binary"
)

// inspectJPEG walks the marker segments from SOI to the first SOS (start of
// scan): the frame header (SOF) gives the size and components, APP1 the
// EXIF orientation, APP2 the ICC profile's pieces. The entropy-coded data
// after SOS is left to the decoder.
func inspectJPEG(b []byte) (header, error) {
	h := header{info: ImageInfo{Format: "jpeg", Orientation: 1}}
	var (
		sawFrame bool
		iccParts map[int][]byte
		iccCount int
	)
	for i := 2; ; {
		if i+4 > len(b) {
			return h, corrupt("the JPEG is cut short before its image data")
		}
		if b[i] != 0xFF {
			return h, corrupt("the JPEG is damaged: no marker at byte %d", i)
		}
		m := b[i+1]
		if m == 0xFF { // fill byte before a marker
			i++
			continue
		}
		if m == 0x01 || (m >= 0xD0 && m <= 0xD8) { // markers without a length
			i += 2
			continue
		}
		if m == 0xD9 {
			return h, corrupt("the JPEG ends before its image data")
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return h, corrupt("the JPEG is cut short (a segment runs past the end of the file)")
		}
		seg := b[i+4 : i+2+n]
		switch {
		case m == 0xDA: // SOS
			if !sawFrame {
				return h, corrupt("the JPEG has image data before its frame header")
			}
			if err := assembleJPEGICC(&h, iccParts, iccCount); err != nil {
				return h, err
			}
			return h, nil
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC: // SOFn
			if sawFrame {
				return h, corrupt("the JPEG has two frame headers")
			}
			sawFrame = true
			if err := jpegFrame(&h, m, seg); err != nil {
				return h, err
			}
		case m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) && h.info.Orientation == 1:
			h.info.Orientation = exifOrientation(seg[6:])
		case m == 0xE2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) && len(seg) >= 14:
			seq, count := int(seg[12]), int(seg[13])
			if iccParts == nil {
				iccParts, iccCount = map[int][]byte{}, count
			}
			if seq < 1 || seq > count || count != iccCount || iccParts[seq] != nil {
				return h, corrupt("the JPEG's colour profile (ICC) is damaged: its pieces are numbered wrongly")
			}
			iccParts[seq] = seg[14:]
		}
		i += 2 + n
	}
}

// jpegFrame reads a SOF segment: precision, height, width, components. Only
// what Go's decoder reads is let through (baseline and progressive Huffman,
// 8 bits, 1, 3 or 4 components), so Inspect and Decode agree.
func jpegFrame(h *header, marker byte, seg []byte) error {
	switch marker {
	case 0xC0, 0xC1, 0xC2:
	case 0xC3, 0xC7, 0xCB, 0xCF:
		return unsupported("lossless JPEGs are not accepted; save the image as a standard JPEG or PNG")
	default:
		return unsupported("this JPEG uses arithmetic or hierarchical coding, which is not accepted; save it as a standard JPEG")
	}
	if len(seg) < 6 {
		return corrupt("the JPEG frame header is too short")
	}
	if seg[0] != 8 {
		return unsupported("this JPEG has %d bits per channel; only 8-bit JPEGs are accepted", seg[0])
	}
	h.info.Height, h.info.Width = int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:]))
	if h.info.Height == 0 {
		return unsupported("this JPEG gives its height after the image data (DNL), which is not accepted; save it again with a standard editor")
	}
	comps := int(seg[5])
	if len(seg) < 6+3*comps {
		return corrupt("the JPEG frame header is too short for its %d colour components", comps)
	}
	switch comps {
	case 1, 3:
	case 4:
		return unsupported("this JPEG is in CMYK colours (made for a printing press); save it as an RGB (sRGB) JPEG or PNG and upload it again")
	default:
		return corrupt("the JPEG frame header gives %d colour components", comps)
	}
	return nil
}

// assembleJPEGICC orders the APP2 pieces; a profile with a missing piece is
// damaged.
func assembleJPEGICC(h *header, parts map[int][]byte, count int) error {
	if parts == nil {
		return nil
	}
	if len(parts) != count {
		return corrupt("the JPEG's colour profile (ICC) is damaged: %d of its %d pieces are missing", count-len(parts), count)
	}
	h.icc = make([][]byte, count)
	for i := range count {
		h.icc[i] = parts[i+1]
	}
	h.info.HasICC = true
	return nil
}
