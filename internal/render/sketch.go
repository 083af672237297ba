package render

import (
	"context"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/design"
)

// Placeholder for the live zone preview, which the sketch branch brings:
// this file is replaced by its real one at the merge. Until then the
// widget's preview route answers 503.

// Sketch is a drawn zone preview: the image and its size.
type Sketch struct {
	Body        []byte
	ContentType string
	Width       int
	Height      int
}

// Sketch draws zone zoneID of doc at size (longest side) as it will print.
func (s *Service) Sketch(ctx context.Context, brandID string, doc design.Document, zoneID string, size int) (Sketch, error) {
	return Sketch{}, apperr.New(apperr.Unavailable, "not built yet")
}
