package gltf

import (
	"fmt"
	"strings"
)

// DefaultTextureMemory is the decoded-image budget of a model when a caller
// sets none: 256 MiB, about four 4096×4096 RGBA textures.
const DefaultTextureMemory = 256 << 20

// ImageFootprint is the decoded size of one image of a document.
type ImageFootprint struct {
	// Index is the image's index in the document.
	Index int `json:"index"`
	// Name is the image's name, else its URI when it is a file name
	// (never a data URI), else "".
	Name     string `json:"name,omitempty"`
	MimeType string `json:"mime_type"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	BitDepth int    `json:"bit_depth"`
	// Progressive is a progressive JPEG, whose decoder needs more memory.
	Progressive bool `json:"progressive,omitempty"`
	// Bytes is ImageInfo.DecodedBytes: what decoding the image costs.
	Bytes int64 `json:"bytes"`
}

// String names the image and its cost for messages: `image 2 "wood.png"
// (8192×8192 PNG, 16-bit, 512 MiB)`.
func (f ImageFootprint) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "image %d", f.Index)
	if f.Name != "" {
		fmt.Fprintf(&b, " %q", f.Name)
	}
	kind := strings.ToUpper(strings.TrimPrefix(f.MimeType, "image/"))
	fmt.Fprintf(&b, " (%d×%d %s", f.Width, f.Height, kind)
	if f.BitDepth > 8 {
		fmt.Fprintf(&b, ", %d-bit", f.BitDepth)
	}
	if f.Progressive {
		b.WriteString(", progressive")
	}
	fmt.Fprintf(&b, ", %s decoded)", MiB(f.Bytes))
	return b.String()
}

// MiB writes n bytes in mebibytes, the unit memory budgets are set in
// (in bytes below one mebibyte).
func MiB(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// ImageHeaderError says which images have a header that cannot be read, so
// their decoded size is unknown.
type ImageHeaderError struct {
	// Images lists each unreadable image with what is wrong with it.
	Images []ImageIssue
}

// ImageIssue is one unreadable image.
type ImageIssue struct {
	Index int
	Name  string
	Err   error
}

func (e *ImageHeaderError) Error() string {
	parts := make([]string, len(e.Images))
	for i, im := range e.Images {
		n := fmt.Sprintf("image %d", im.Index)
		if im.Name != "" {
			n += fmt.Sprintf(" %q", im.Name)
		}
		parts[i] = n + ": " + im.Err.Error()
	}
	return "the size of some images cannot be read: " + strings.Join(parts, "; ")
}

// ImageFootprints reads the header of every image of doc whose data is
// present and returns their decoded sizes, in image order, with the total.
// Images without data (an unresolved URI) are skipped: nothing can decode
// them. Unreadable or unknown formats give an *ImageHeaderError listing
// each: a size that cannot be read cannot be budgeted.
func ImageFootprints(doc *Document) ([]ImageFootprint, int64, error) {
	var out []ImageFootprint
	var total int64
	var bad []ImageIssue
	for i := range doc.Images {
		im := &doc.Images[i]
		name := im.Name
		if name == "" && im.URI != "" && !strings.HasPrefix(im.URI, "data:") {
			name = im.URI
		}
		data, err := doc.ImageData(i)
		if err != nil || len(data) == 0 {
			continue
		}
		info, err := ReadImageInfo(data)
		if err != nil {
			bad = append(bad, ImageIssue{Index: i, Name: name, Err: err})
			continue
		}
		f := ImageFootprint{Index: i, Name: name, MimeType: info.MimeType, Width: info.Width, Height: info.Height,
			BitDepth: info.BitDepth, Progressive: info.Progressive, Bytes: info.DecodedBytes()}
		out = append(out, f)
		total = satAdd(total, f.Bytes)
	}
	if len(bad) > 0 {
		return out, total, &ImageHeaderError{Images: bad}
	}
	return out, total, nil
}
