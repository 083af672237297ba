package gltf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ImageInfo is what an encoded image's header says about its pixels, read
// without decoding any of them: enough to know what decoding would cost
// before anyone pays for it.
type ImageInfo struct {
	// MimeType is image/png, image/jpeg, image/webp or image/ktx2.
	MimeType string
	// Width and Height are in pixels (of the largest mip level for KTX2).
	Width, Height int
	// BitDepth is the bits per channel: 8, or 16 for 16-bit PNGs, 12 for
	// 12-bit JPEGs, and 16 or 32 for KTX2 formats with wide channels.
	BitDepth int
	// Levels is the number of mip levels, Layers the array layers times the
	// cube faces times the depth (KTX2; 1 for the other formats).
	Levels, Layers int
	// Interlaced is an Adam7 PNG: decoders hold a pass (up to half the
	// image) beside the image while merging.
	Interlaced bool
	// Progressive is a progressive JPEG, whose decoder keeps every DCT
	// coefficient (4 bytes a sample) until the last scan; CoefBytes is that
	// memory, from the frame's components and their sampling.
	Progressive bool
	CoefBytes   int64
}

// ErrImageFormat is wrapped by ReadImageInfo's errors for data that is not
// a PNG, JPEG, WebP or KTX2 image, or whose header cannot be read.
var ErrImageFormat = errors.New("unreadable image header")

// ReadImageInfo reads the header of a PNG (IHDR), JPEG (SOF), WebP (VP8,
// VP8L or VP8X) or KTX2 image. It never decodes pixels, and it refuses what
// it cannot read rather than guess a size.
func ReadImageInfo(data []byte) (ImageInfo, error) {
	mime := ImageMIME(data)
	info := ImageInfo{MimeType: mime, BitDepth: 8, Levels: 1, Layers: 1}
	var err error
	switch mime {
	case "image/png":
		err = pngInfo(data, &info)
	case "image/jpeg":
		err = jpegInfo(data, &info)
	case "image/webp":
		err = webpInfo(data, &info)
	case "image/ktx2":
		err = ktx2Info(data, &info)
	default:
		return ImageInfo{}, fmt.Errorf("%w: not a PNG, JPEG, WebP or KTX2 image", ErrImageFormat)
	}
	if err == nil && (info.Width <= 0 || info.Height <= 0) {
		err = fmt.Errorf("its size is %d×%d", info.Width, info.Height)
	}
	if err != nil {
		return ImageInfo{}, fmt.Errorf("%w: %s: %v", ErrImageFormat, mime, err)
	}
	return info, nil
}

// DecodedBytes is the memory the image takes once decoded, counted the way
// renderers and converters hold it: RGBA at 8 bits per channel (4 bytes a
// pixel, whatever the channel count), wider channels counting double, every
// mip level and layer included, plus the coefficients a progressive JPEG's
// decoder keeps (up to 16 bytes a pixel more: a small progressive file can
// cost four times what its pixels do). It saturates instead of overflowing.
func (i ImageInfo) DecodedBytes() int64 {
	perPixel := int64(4)
	switch {
	case i.BitDepth > 16:
		perPixel = 16
	case i.BitDepth > 8:
		perPixel = 8
	}
	var total int64
	w, h := int64(i.Width), int64(i.Height)
	for l := 0; l < max(i.Levels, 1); l++ {
		total = satAdd(total, satMul(satMul(w, h), perPixel))
		w, h = max(w/2, 1), max(h/2, 1)
	}
	return satAdd(satMul(total, int64(max(i.Layers, 1))), i.CoefBytes)
}

func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// pngInfo reads the IHDR chunk, which the format requires to come first.
func pngInfo(b []byte, info *ImageInfo) error {
	if len(b) < 8+8+13 || string(b[12:16]) != "IHDR" {
		return errors.New("no IHDR chunk")
	}
	ih := b[16:]
	info.Width, info.Height = int(binary.BigEndian.Uint32(ih[0:])), int(binary.BigEndian.Uint32(ih[4:]))
	if info.Width > math.MaxInt32 || info.Height > math.MaxInt32 {
		return errors.New("its size is out of range")
	}
	switch d := int(ih[8]); d {
	case 1, 2, 4, 8, 16:
		info.BitDepth = max(d, 8)
	default:
		return fmt.Errorf("bit depth %d is not valid", d)
	}
	info.Interlaced = ih[12] == 1
	return nil
}

// jpegInfo walks the markers up to the first start-of-frame (SOF0–SOF15
// except DHT, JPG and DAC), which holds precision and size.
func jpegInfo(b []byte, info *ImageInfo) error {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return fmt.Errorf("no marker at byte %d", i)
		}
		m := b[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD8): // markers without a length
			i += 2
			continue
		case m == 0xD9 || m == 0xDA:
			return errors.New("no frame header before the image data")
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return errors.New("a segment runs past the end")
		}
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			if n < 8 {
				return errors.New("the frame header is too short")
			}
			seg := b[i+4 : i+2+n]
			info.BitDepth = max(int(seg[0]), 8)
			info.Height, info.Width = int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:]))
			info.Progressive = m&3 == 2 // SOF2, SOF6, SOF10, SOF14
			if info.Progressive {
				info.CoefBytes = jpegCoefBytes(seg, info.Width, info.Height)
			}
			return nil
		}
		i += 2 + n
	}
	return errors.New("no frame header")
}

// jpegCoefBytes is what a progressive decoder keeps: a 4-byte coefficient
// for every sample of every component, at each component's sampling.
// frame is the SOF segment after its length: precision, height, width,
// component count, then 3 bytes per component (id, h<<4|v, table).
func jpegCoefBytes(frame []byte, w, h int) int64 {
	n := int(frame[5])
	if len(frame) < 6+3*n || n == 0 {
		return satMul(int64(w)*int64(h), 16) // unreadable: the most a frame can need
	}
	hmax, vmax := 1, 1
	for c := range n {
		s := frame[6+3*c+1]
		hmax, vmax = max(hmax, int(s>>4)), max(vmax, int(s&15))
	}
	var total int64
	for c := range n {
		s := frame[6+3*c+1]
		hc, vc := max(int64(s>>4), 1), max(int64(s&15), 1)
		cw := (int64(w)*hc + int64(hmax) - 1) / int64(hmax)
		ch := (int64(h)*vc + int64(vmax) - 1) / int64(vmax)
		total = satAdd(total, satMul(cw*ch, 4))
	}
	return total
}

// webpInfo reads the first chunk of a RIFF WebP file: VP8 (lossy), VP8L
// (lossless) or VP8X (extended, whose canvas size covers every frame).
func webpInfo(b []byte, info *ImageInfo) error {
	if len(b) < 30 {
		return errors.New("the header is truncated")
	}
	chunk, d := string(b[12:16]), b[20:]
	switch chunk {
	case "VP8 ":
		if !bytes.Equal(d[3:6], []byte{0x9D, 0x01, 0x2A}) {
			return errors.New("no VP8 start code")
		}
		info.Width = int(binary.LittleEndian.Uint16(d[6:]) & 0x3FFF)
		info.Height = int(binary.LittleEndian.Uint16(d[8:]) & 0x3FFF)
	case "VP8L":
		if d[0] != 0x2F {
			return errors.New("no VP8L signature")
		}
		v := binary.LittleEndian.Uint32(d[1:])
		info.Width, info.Height = int(v&0x3FFF)+1, int(v>>14&0x3FFF)+1
	case "VP8X":
		info.Width = int(uint32(d[4])|uint32(d[5])<<8|uint32(d[6])<<16) + 1
		info.Height = int(uint32(d[7])|uint32(d[8])<<8|uint32(d[9])<<16) + 1
	default:
		return fmt.Errorf("unknown first chunk %q", chunk)
	}
	return nil
}

// ktx2Info reads the fixed KTX2 header: format, size, layers, faces and
// levels. Formats with 16- or 32-bit channels count as such; block-
// compressed and supercompressed (Basis) ones as 8-bit RGBA, which is what
// they transcode to at most.
func ktx2Info(b []byte, info *ImageInfo) error {
	if len(b) < 48 {
		return errors.New("the header is truncated")
	}
	u := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	vk, w, h, depth, layers, faces, levels := u(12), u(20), u(24), u(28), u(32), u(36), u(40)
	if w > math.MaxInt32 || h > math.MaxInt32 || depth > 1<<16 || layers > 1<<16 || faces > 6 || levels > 32 {
		return errors.New("a header field is out of range")
	}
	info.Width, info.Height = int(w), int(max(h, 1))
	info.Levels = int(max(levels, 1))
	info.Layers = int(max(depth, 1) * max(layers, 1) * max(faces, 1))
	switch {
	case vk >= 70 && vk <= 97: // VK_FORMAT_R16_* … R16G16B16A16_*
		info.BitDepth = 16
	case vk >= 98 && vk <= 121: // VK_FORMAT_R32_* … R64G64B64A64_*
		info.BitDepth = 32
	}
	return nil
}
