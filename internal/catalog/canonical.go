package catalog

import (
	"context"
	"errors"

	"github.com/luneo/luneo/gltf"
)

// canonicalDocument is what a product's canonical GLB holds: the
// optimizer's output for the uploaded document (unused unnamed objects
// pruned, duplicates merged, vertices welded, oversized textures scaled
// down), so AR conversion, previews and downloads all get the smaller file.
// Optimize keeps every node, mesh and material name (zones find materials
// by name) and validates its input and its output.
//
// A valid model the optimizer cannot handle (an extension whose references
// it cannot renumber) is kept as uploaded rather than refused: the upload
// already passed validation and renders as it is. Any other optimizer
// failure is a bug on our side, logged as an error, and handled the same
// way so the brand is not blocked by it.
func (s *Service) canonicalDocument(ctx context.Context, doc *gltf.Document) *gltf.Document {
	out, rep, err := gltf.Optimize(doc, gltf.OptimizeOptions{})
	switch {
	case errors.Is(err, gltf.ErrNotOptimizable):
		s.logger.InfoContext(ctx, "catalog: model stored without optimizing", "reason", err.Error())
		return doc
	case err != nil:
		s.logger.ErrorContext(ctx, "catalog: the optimizer failed on a valid model; stored without optimizing", "error", err)
		return doc
	}
	s.logger.DebugContext(ctx, "catalog: model optimized", "bytes_before", rep.Before.Bytes, "bytes_after", rep.After.Bytes)
	return out
}
