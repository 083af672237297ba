package usdz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

// dataAlign is the usdz rule: every file's data starts at a multiple of
// 64 bytes from the start of the package, so a reader can map it in place.
const dataAlign = 64

// localHeaderLen is the fixed part of a zip local file header.
const localHeaderLen = 30

// padExtraID is the header ID of the extra field that pads local headers
// to the alignment. Zip readers skip extra fields they do not know; this
// ID is not one of the registered ones.
const padExtraID = 0x4c55 // "UL"

// dosDate1980 is 1980-01-01 in MS-DOS date format, the earliest a zip can
// say: entries carry no real time, so the same input gives the same bytes.
const dosDate1980 = 1<<5 | 1

// file is one entry of a package.
type file struct {
	name string
	data []byte
	// crc is data's CRC-32 when hasCRC (Retexture copies it from the
	// package it rewrites); writeZip computes it otherwise.
	crc    uint32
	hasCRC bool
}

// writeZip lays out files as a usdz package: stored (no compression), in
// order, each file's data 64-byte aligned, sizes and CRC in the local
// headers and no data descriptors.
//
// zip.Writer.CreateHeader cannot be used: it always sets the data
// descriptor flag and writes sizes after the data, which the USD zip
// reader does not read. CreateRaw with everything known up front writes
// them in the local header. The writer buffers internally, so offsets are
// computed here from what each entry adds: header, name, extra, data.
func writeZip(files []file) ([]byte, error) {
	total := 0
	for _, f := range files {
		total += localHeaderLen + len(f.name) + dataAlign + 4 + len(f.data) + 46 + len(f.name) + dataAlign + 4
	}
	if int64(total) >= math.MaxUint32 {
		return nil, fmt.Errorf("the package would be about %d bytes: more than a usdz without zip64 can hold (4 GiB)", total)
	}
	buf := bytes.NewBuffer(make([]byte, 0, total+22))
	zw := zip.NewWriter(buf)
	offset := 0
	for _, f := range files {
		extra := padding(offset + localHeaderLen + len(f.name))
		crc := f.crc
		if !f.hasCRC {
			crc = crc32.ChecksumIEEE(f.data)
		}
		fh := &zip.FileHeader{
			Name:               f.name,
			Method:             zip.Store,
			CRC32:              crc,
			CompressedSize64:   uint64(len(f.data)),
			UncompressedSize64: uint64(len(f.data)),
			Extra:              extra,
			CreatorVersion:     20,
			ReaderVersion:      20,
		}
		// CreateRaw writes the MS-DOS time fields as given and ignores
		// Modified, so the deprecated field is the only way to date a raw entry.
		//lint:ignore SA1019 CreateRaw reads only the MS-DOS fields; see above
		fh.ModifiedDate = dosDate1980
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", f.name, err)
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.name, err)
		}
		offset += localHeaderLen + len(f.name) + len(extra) + len(f.data)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write package: %w", err)
	}
	return buf.Bytes(), nil
}

// padding returns the extra field that moves data starting at end (the
// offset right after a local header's name) to the next 64-byte boundary,
// or nil when it is already there. An extra field is at least its 4-byte
// header, so a gap of 1 to 3 bytes is widened by 64.
func padding(end int) []byte {
	gap := (dataAlign - end%dataAlign) % dataAlign
	if gap == 0 {
		return nil
	}
	if gap < 4 {
		gap += dataAlign
	}
	extra := make([]byte, gap)
	binary.LittleEndian.PutUint16(extra[0:], padExtraID)
	binary.LittleEndian.PutUint16(extra[2:], uint16(gap-4))
	return extra
}
