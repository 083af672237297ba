package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	kzlib "github.com/klauspost/compress/zlib"
)

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
