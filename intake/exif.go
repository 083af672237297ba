package intake

import (
	"encoding/binary"
)

// exifOrientation reads tag 0x0112 (Orientation) from the first IFD of a
// TIFF-structured EXIF block ("II*\0" or "MM\0*" then the IFD offset). It
// returns 1 for anything it cannot read: a damaged EXIF block is metadata,
// and browsers show such images unturned rather than refuse them.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := uint64(bo.Uint32(tiff[4:]))
	if off+2 > uint64(len(tiff)) {
		return 1
	}
	count := uint64(bo.Uint16(tiff[off:]))
	entries := tiff[off+2:]
	for i := uint64(0); i < count && 12*i+12 <= uint64(len(entries)); i++ {
		e := entries[12*i:]
		// Type 3 is SHORT; one value sits in the first two bytes of the
		// value field, in the file's byte order.
		if bo.Uint16(e) == 0x0112 && bo.Uint16(e[2:]) == 3 && bo.Uint32(e[4:]) >= 1 {
			if v := int(bo.Uint16(e[8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
