package gltf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// WriteGLB writes doc as one self-contained GLB file: a JSON chunk padded
// with spaces and, when there is binary data, a BIN chunk padded with
// zeros, both 4-byte aligned with exact lengths.
//
// Whatever the data came from (the BIN chunk of a GLB, several buffers,
// data URIs, files of a zip), it is packed into the single GLB buffer: each
// buffer view is copied to a 4-byte aligned offset, and images stored
// behind URIs become buffer views. doc itself is not modified.
func WriteGLB(w io.Writer, doc *Document) error {
	out, bin, err := pack(doc)
	if err != nil {
		return fmt.Errorf("write GLB: %w", err)
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // names with & or < stay readable
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write GLB: encode JSON: %w", err)
	}
	jsonBytes := bytes.TrimRight(js.Bytes(), "\n")
	jsonLen := pad4(len(jsonBytes))
	binLen := pad4(len(bin))
	total := glbHeaderLen + chunkHeadLen + jsonLen
	if len(bin) > 0 {
		total += chunkHeadLen + binLen
	}
	if int64(total) > 1<<32-1 {
		return fmt.Errorf("write GLB: %d bytes is more than a GLB can hold (4 GiB)", total)
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	var hdr [12]byte
	binary.LittleEndian.PutUint32(hdr[0:], glbMagic)
	binary.LittleEndian.PutUint32(hdr[4:], glbVersion)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(total))
	bw.Write(hdr[:])
	writeChunk(bw, chunkTypeJSON, jsonBytes, jsonLen, ' ')
	if len(bin) > 0 {
		writeChunk(bw, chunkTypeBIN, bin, binLen, 0)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write GLB: %w", err)
	}
	return nil
}

// writeChunk writes a chunk header, data and padding; errors surface at Flush.
func writeChunk(w *bufio.Writer, typ uint32, data []byte, padded int, fill byte) {
	var h [8]byte
	binary.LittleEndian.PutUint32(h[0:], uint32(padded))
	binary.LittleEndian.PutUint32(h[4:], typ)
	w.Write(h[:])
	w.Write(data)
	for i := len(data); i < padded; i++ {
		w.WriteByte(fill)
	}
}

func pad4(n int) int { return (n + 3) &^ 3 }

// pack returns a copy of doc whose buffer views all live in one buffer,
// and that buffer's bytes. Images with a URI are moved into buffer views.
func pack(doc *Document) (*Document, []byte, error) {
	out := *doc
	out.Report = Report{}
	out.BufferViews = append([]BufferView(nil), doc.BufferViews...)
	out.Images = append([]Image(nil), doc.Images...)

	size := 0
	for i := range doc.BufferViews {
		size = pad4(size) + max(doc.BufferViews[i].ByteLength, 0)
	}
	for _, im := range doc.Images {
		if im.BufferView == nil {
			size = pad4(size) + len(im.Data)
		}
	}
	bin := make([]byte, 0, pad4(size))
	for i := range out.BufferViews {
		data, err := bufferViewData(doc, i)
		if err != nil {
			return nil, nil, err
		}
		bin = append(bin, make([]byte, pad4(len(bin))-len(bin))...)
		bv := &out.BufferViews[i]
		bv.Buffer, bv.ByteOffset = 0, len(bin)
		bin = append(bin, data...)
	}
	for i := range out.Images {
		im := &out.Images[i]
		if im.BufferView != nil {
			continue
		}
		if im.Data == nil {
			return nil, nil, fmt.Errorf("image %d: its data (%s) was not loaded", i, short(im.URI))
		}
		mime := im.MimeType
		if mime == "" {
			mime = ImageMIME(im.Data)
		}
		if mime == "" {
			return nil, nil, fmt.Errorf("image %d: unknown image format, cannot embed it without a mimeType", i)
		}
		bin = append(bin, make([]byte, pad4(len(bin))-len(bin))...)
		out.BufferViews = append(out.BufferViews, BufferView{Buffer: 0, ByteOffset: len(bin), ByteLength: len(im.Data)})
		bin = append(bin, im.Data...)
		im.BufferView = Ptr(len(out.BufferViews) - 1)
		im.URI, im.MimeType, im.Data = "", mime, nil
	}
	out.Buffers = nil
	if len(bin) > 0 {
		b := Buffer{ByteLength: len(bin)}
		if len(doc.Buffers) > 0 {
			// Keep what describes the first buffer; drop its URI (the data is in the BIN chunk now).
			b.Name, b.Extensions, b.Extras = doc.Buffers[0].Name, doc.Buffers[0].Extensions, doc.Buffers[0].Extras
		}
		b.Data = bin
		out.Buffers = []Buffer{b}
	}
	if len(out.BufferViews) == 0 {
		out.BufferViews = nil
	}
	return &out, bin, nil
}
