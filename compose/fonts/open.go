package fonts

import (
	"bytes"
	"fmt"
	"io"
)

// Open returns the font file's bytes as a stream: a client that draws text
// itself (the widget's live editor) then uses the very file the server
// draws with. A bundled file is streamed from the binary, not copied.
func (f *Font) Open() (io.ReadCloser, error) {
	if f.embedded == "" {
		return io.NopCloser(bytes.NewReader(f.data)), nil
	}
	file, err := bundled.Open(f.embedded)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", f.File, err)
	}
	return file, nil
}
