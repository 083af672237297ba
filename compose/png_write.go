package compose

import (
	"bufio"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/draw"
	"io"
	"math"
)

// WritePNG encodes img as an 8-bit RGBA PNG carrying the sRGB chunk and a
// pHYs chunk for dpi (0 = none), so print software reads the intended
// physical size.
func WritePNG(w io.Writer, img image.Image, dpi float64) error {
	b := img.Bounds()
	pw, err := NewPNGBandWriter(w, b.Dx(), b.Dy(), dpi)
	if err != nil {
		return err
	}
	if err := pw.WriteBand(img); err != nil {
		return err
	}
	return pw.Close()
}

// WritePNGBands renders s band by band straight into a PNG stream: the
// whole image is never in memory, only one band and the encoder's window.
func WritePNGBands(ctx context.Context, w io.Writer, s *Scene, o Options, bandHeight int) error {
	scale := o.Scale
	if scale == 0 {
		scale = 1
	}
	width, height := int(math.Round(float64(s.Width)*scale)), int(math.Round(float64(s.Height)*scale))
	pw, err := NewPNGBandWriter(w, width, height, s.dpi()*scale)
	if err != nil {
		return err
	}
	if err := RenderBands(ctx, s, o, bandHeight, func(_ int, band image.Image) error { return pw.WriteBand(band) }); err != nil {
		return err
	}
	return pw.Close()
}

// PNGBandWriter streams a PNG whose rows arrive in bands, top to bottom.
type PNGBandWriter struct {
	w             *bufio.Writer
	width, height int
	rows          int
	idat          *chunkWriter
	z             *zlib.Writer
	prev, cur     []byte
	filtered      [5][]byte
}

// NewPNGBandWriter writes the header chunks (IHDR, sRGB, pHYs) at once.
func NewPNGBandWriter(w io.Writer, width, height int, dpi float64) (*PNGBandWriter, error) {
	if width <= 0 || height <= 0 || width > 1<<24 || height > 1<<24 {
		return nil, fmt.Errorf("png: bad size %dx%d", width, height)
	}
	p := &PNGBandWriter{w: bufio.NewWriterSize(w, 64<<10), width: width, height: height}
	if _, err := p.w.WriteString("\x89PNG\r\n\x1a\n"); err != nil {
		return nil, fmt.Errorf("png: %w", err)
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	writeChunk(p.w, "IHDR", ihdr[:])
	writeChunk(p.w, "sRGB", []byte{0}) // perceptual rendering intent
	if dpi > 0 {
		var phys [9]byte
		ppm := uint32(math.Round(dpi / 0.0254))
		binary.BigEndian.PutUint32(phys[0:], ppm)
		binary.BigEndian.PutUint32(phys[4:], ppm)
		phys[8] = 1 // unit: metre
		writeChunk(p.w, "pHYs", phys[:])
	}
	p.idat = &chunkWriter{w: p.w}
	z, err := zlib.NewWriterLevel(p.idat, zlib.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("png: %w", err)
	}
	p.z = z
	n := 4*width + 1
	p.prev, p.cur = make([]byte, n), make([]byte, n)
	for i := range p.filtered {
		p.filtered[i] = make([]byte, n)
	}
	return p, nil
}

// WriteBand appends the rows of band (any image; premultiplied RGBA is
// converted to straight alpha as PNG requires).
func (p *PNGBandWriter) WriteBand(band image.Image) error {
	b := band.Bounds()
	if b.Dx() != p.width || p.rows+b.Dy() > p.height {
		return fmt.Errorf("png: band %v does not fit a %dx%d image at row %d", b, p.width, p.height, p.rows)
	}
	nrgba, ok := band.(*image.NRGBA)
	if !ok {
		nrgba = image.NewNRGBA(b)
		draw.Draw(nrgba, b, band, b.Min, draw.Src)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		copy(p.cur[1:], nrgba.Pix[nrgba.PixOffset(b.Min.X, y):nrgba.PixOffset(b.Max.X, y)])
		row := p.filterRow()
		if _, err := p.z.Write(row); err != nil {
			return fmt.Errorf("png: %w", err)
		}
		p.prev, p.cur = p.cur, p.prev
		p.rows++
	}
	return nil
}

// Close ends the image; it fails if fewer rows than the height came.
func (p *PNGBandWriter) Close() error {
	if p.rows != p.height {
		return fmt.Errorf("png: %d rows written of %d", p.rows, p.height)
	}
	if err := p.z.Close(); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	if err := p.idat.flush(); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	writeChunk(p.w, "IEND", nil)
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	return nil
}

// filterRow picks the PNG filter with the smallest sum of absolute values
// (the heuristic the PNG spec suggests) for p.cur against p.prev.
func (p *PNGBandWriter) filterRow() []byte {
	cur, prev := p.cur[1:], p.prev[1:]
	best, bestSum := 0, math.MaxInt
	for f := 0; f < 5; f++ {
		out := p.filtered[f]
		out[0] = byte(f)
		o := out[1:]
		sum := 0
		for i := range cur {
			var a, b, c byte
			if i >= 4 {
				a, c = cur[i-4], prev[i-4]
			}
			b = prev[i]
			var v byte
			switch f {
			case 0:
				v = cur[i]
			case 1:
				v = cur[i] - a
			case 2:
				v = cur[i] - b
			case 3:
				v = cur[i] - byte((int(a)+int(b))/2)
			case 4:
				v = cur[i] - paeth(a, b, c)
			}
			o[i] = v
			sum += int(int8(v)) * sign(int8(v))
			if sum >= bestSum {
				break
			}
		}
		if sum < bestSum {
			best, bestSum = f, sum
		}
	}
	return p.filtered[best]
}

func sign(v int8) int {
	if v < 0 {
		return -1
	}
	return 1
}

// paeth is the PNG Paeth predictor.
func paeth(a, b, c byte) byte {
	pa := absInt(int(b) - int(c))
	pb := absInt(int(a) - int(c))
	pc := absInt(int(a) + int(b) - 2*int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// writeChunk writes one PNG chunk; errors surface at the bufio Flush.
func writeChunk(w *bufio.Writer, typ string, data []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	w.Write(hdr[:])
	w.Write(data)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	w.Write(sum[:])
}

// chunkWriter cuts the zlib stream into IDAT chunks of at most 256 KB.
type chunkWriter struct {
	w   *bufio.Writer
	buf []byte
}

// Write buffers b, emitting every full 256 KB as an IDAT chunk.
func (c *chunkWriter) Write(b []byte) (int, error) {
	c.buf = append(c.buf, b...)
	for len(c.buf) >= 256<<10 {
		writeChunk(c.w, "IDAT", c.buf[:256<<10])
		c.buf = append(c.buf[:0], c.buf[256<<10:]...)
	}
	return len(b), nil
}

func (c *chunkWriter) flush() error {
	if len(c.buf) > 0 {
		writeChunk(c.w, "IDAT", c.buf)
		c.buf = c.buf[:0]
	}
	return nil
}
