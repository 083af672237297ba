package demo

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// whitePNG returns a size × size opaque white RGB PNG, tagged sRGB. It is
// written directly rather than through image/png: a uniform image needs
// no pixel buffer (image/png would take 16 MiB for 2048² and try five
// filters on every row), and the same size always gives the same bytes.
func whitePNG(size int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(size))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(size))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per channel, truecolour (RGB)
	pngChunk(&out, "IHDR", ihdr[:])
	pngChunk(&out, "sRGB", []byte{0}) // perceptual rendering intent

	var idat bytes.Buffer
	// BestCompression makes it no smaller and takes 60 % longer.
	zw := zlib.NewWriter(&idat)
	row := bytes.Repeat([]byte{0xff}, 1+3*size)
	row[0] = 0 // filter type None
	for range size {
		zw.Write(row) // writes to a bytes.Buffer cannot fail
	}
	zw.Close()
	pngChunk(&out, "IDAT", idat.Bytes())
	pngChunk(&out, "IEND", nil)
	return out.Bytes()
}

// pngChunk writes one PNG chunk: length, type, data and the CRC of type
// and data.
func pngChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
