package compose

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"io"
	"sync"

	kzlib "github.com/klauspost/compress/zlib"
)

// decodePNG decodes the common PNG kind (8-bit RGB or RGBA, not
// interlaced) straight into premultiplied RGBA: one inflate of all the
// image data into a buffer of exactly the announced size, then one pass
// that un-filters and converts each row. ok is false for other kinds,
// which image/png decodes. Chunk CRCs are checked as image/png does.
// With owned, data is the caller's to lose: the image data is gathered in
// place instead of into a new buffer.
// buf, when not nil, lends the inflate buffer (see Buffers).
func decodePNG(data []byte, owned bool, buf *Buffers) (img image.Image, ok bool, err error) {
	return decodePNGWith(data, true, owned, buf)
}

// decodePNGWith can force the pure-Go inflater (tests compare both).
func decodePNGWith(data []byte, system, owned bool, buf *Buffers) (image.Image, bool, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < len(sig)+25 || string(data[:8]) != sig || string(data[12:16]) != "IHDR" {
		return nil, false, nil
	}
	ihdr := data[16:29]
	w, h := int(binary.BigEndian.Uint32(ihdr[0:])), int(binary.BigEndian.Uint32(ihdr[4:]))
	depth, ctype, interlace := ihdr[8], ihdr[9], ihdr[12]
	if depth != 8 || (ctype != 2 && ctype != 6) || interlace != 0 || w <= 0 || h <= 0 || w > 1<<24 || h > 1<<24 {
		return nil, false, nil
	}
	bpp := 3
	if ctype == 6 {
		bpp = 4
	}
	// Gather the IDAT payloads: one copy, sized first (sharp's encoder
	// writes 8 KB chunks: a 12 MB image has 1500 of them).
	var parts [][]byte
	total := 0
	for p := 8; ; {
		if p+12 > len(data) {
			return nil, true, errors.New("truncated file (no IEND)")
		}
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n < 0 || p+12+n > len(data) {
			return nil, true, errors.New("truncated chunk")
		}
		typ := data[p+4 : p+8]
		body := data[p+8 : p+8+n]
		if crc32.ChecksumIEEE(data[p+4:p+8+n]) != binary.BigEndian.Uint32(data[p+8+n:]) {
			return nil, true, fmt.Errorf("chunk %q: checksum mismatch", typ)
		}
		switch string(typ) {
		case "IDAT":
			parts = append(parts, body)
			total += len(body)
		case "tRNS":
			return nil, false, nil // a colour key: leave it to image/png
		}
		if string(typ) == "IEND" {
			break
		}
		p += 12 + n
	}
	var joined []byte
	switch {
	case len(parts) == 1:
		joined = parts[0]
	case owned:
		// Chunks are in file order, so moving each body down to the end of
		// the previous one never overwrites a body not yet moved.
		joined = data[:0]
		for _, b := range parts {
			joined = append(joined, b...)
		}
	default:
		joined = make([]byte, 0, total)
		for _, b := range parts {
			joined = append(joined, b...)
		}
	}
	stride := 1 + w*bpp
	if bpp == 3 {
		// RGB: un-filter in place and keep the rows as the image.
		raw := make([]byte, h*stride)
		if err := zlibInflate(joined, raw, system); err != nil {
			return nil, true, err
		}
		prev := make([]byte, w*3)
		for y := 0; y < h; y++ {
			row := raw[y*stride : (y+1)*stride]
			if err := unfilter(row[0], row[1:], prev, 3); err != nil {
				return nil, true, fmt.Errorf("row %d: %w", y, err)
			}
			prev = row[1:]
		}
		return &rgbImage{pix: raw, stride: stride, rect: image.Rect(0, 0, w, h)}, true, nil
	}
	raw := buf.get(h * stride)
	defer buf.put(raw)
	if err := zlibInflate(joined, raw, system); err != nil {
		return nil, true, err
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	prev := make([]byte, w*bpp)
	for y := 0; y < h; y++ {
		row := raw[y*stride : (y+1)*stride]
		cur := row[1:]
		if err := unfilter(row[0], cur, prev, bpp); err != nil {
			return nil, true, fmt.Errorf("row %d: %w", y, err)
		}
		dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for i := 0; i < len(cur); i += 4 {
			a := uint32(cur[i+3])
			if a == 255 {
				copy(dst[i:i+4], cur[i:i+4])
				continue
			}
			// image/draw's rounding, so both decode paths agree bit for bit.
			a16 := a * 0x101
			dst[i] = uint8(uint32(cur[i]) * 0x101 * a16 / 0xffff >> 8)
			dst[i+1] = uint8(uint32(cur[i+1]) * 0x101 * a16 / 0xffff >> 8)
			dst[i+2] = uint8(uint32(cur[i+2]) * 0x101 * a16 / 0xffff >> 8)
			dst[i+3] = uint8(a)
		}
		prev = cur
	}
	return out, true, nil
}

// unfilter reverses one row's PNG filter in place.
func unfilter(f byte, cur, prev []byte, bpp int) error {
	switch f {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := 0; i < bpp; i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		unfilterPaeth(cur, prev, bpp)
	default:
		return fmt.Errorf("bad filter type %d", f)
	}
	return nil
}

// Buffers keeps inflate buffers between decodes for a caller that decodes
// one image after another (a long-lived process, a benchmark's warm runs):
// the 12 MB of a 2048² PNG is reused instead of allocated and zeroed each
// time. The caller owns it (DirSources.Buffers); a nil *Buffers allocates.
// It is a cache, not state, and safe for concurrent use.
type Buffers struct{ raw sync.Pool }

// get returns a buffer of n bytes, reused when one big enough is kept.
func (b *Buffers) get(n int) []byte {
	if b != nil {
		if p, ok := b.raw.Get().(*[]byte); ok && cap(*p) >= n {
			return (*p)[:n]
		}
	}
	return make([]byte, n)
}

// put keeps raw for a later decode.
func (b *Buffers) put(raw []byte) {
	if b != nil {
		b.raw.Put(&raw)
	}
}

// unfilterPaeth reverses the Paeth filter one channel at a time, keeping
// the left (a) and upper-left (c) neighbours in registers: three times
// faster than calling paeth per byte.
func unfilterPaeth(cur, prev []byte, bpp int) {
	for ch := 0; ch < bpp; ch++ {
		a, c := 0, 0
		for j := ch; j < len(cur); j += bpp {
			b := int(prev[j])
			pa := b - c
			pb := a - c
			pc := pa + pb
			pa, pb, pc = (pa^(pa>>31))-(pa>>31), (pb^(pb>>31))-(pb>>31), (pc^(pc>>31))-(pc>>31)
			switch {
			case pa <= pb && pa <= pc:
			case pb <= pc:
				a = b
			default:
				a = c
			}
			a = (a + int(cur[j])) & 0xff
			cur[j] = uint8(a)
			c = b
		}
	}
}

// errInflateSize is a zlib stream whose output is not the expected size.
var errInflateSize = errors.New("image data is not the size the header announces")

// zlibInflate inflates a zlib stream into out (with libdeflate when the
// system has it and useSystem, see inflate_libdeflate.go), which must be filled
// exactly: more data is an error (no output grows past the header's
// announced size, so a decompression bomb cannot allocate).
func zlibInflate(in, out []byte, useSystem bool) error {
	if useSystem {
		if done, err := inflateSystem(in, out); done {
			return err
		}
	}
	zr, err := kzlib.NewReader(bytes.NewReader(in))
	if err != nil {
		return fmt.Errorf("inflate: %w", err)
	}
	defer zr.Close()
	if _, err := io.ReadFull(zr, out); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return errInflateSize
		}
		return fmt.Errorf("inflate: %w", err)
	}
	var one [1]byte
	if n, _ := zr.Read(one[:]); n > 0 {
		return errInflateSize
	}
	return nil
}
