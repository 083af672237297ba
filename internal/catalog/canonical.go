package catalog

import (
	"context"
	"errors"
	"fmt"

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
// failure (an image that does not decode, or a bug of ours) is logged and
// handled the same way so the brand is not blocked by it. Only a cancelled
// request (ctx) fails the upload.
func (s *Service) canonicalDocument(ctx context.Context, doc *gltf.Document, images []gltf.ImageFootprint) (*gltf.Document, error) {
	release, err := s.cfg.Images.Reserve(ctx, resizeMemory(images))
	if err != nil {
		return nil, fmt.Errorf("canonical GLB: wait for image memory: %w", err)
	}
	out, rep, err := gltf.Optimize(doc, gltf.OptimizeOptions{})
	release()
	switch {
	case errors.Is(err, gltf.ErrNotOptimizable):
		s.logger.InfoContext(ctx, "catalog: model stored without optimizing", "reason", err.Error())
		return doc, nil
	case err != nil:
		// An image whose header reads but whose data does not decode, or
		// a bug of ours: the model is valid glTF and renders elsewhere.
		s.logger.WarnContext(ctx, "catalog: the optimizer failed on a valid model; stored without optimizing", "error", err)
		return doc, nil
	}
	s.logger.DebugContext(ctx, "catalog: model optimized", "bytes_before", rep.Before.Bytes, "bytes_after", rep.After.Bytes)
	return out, nil
}

// resizeMemory is what the optimizer will decode, for the image pool: every
// image larger than gltf.DefaultMaxTextureSize is decoded to be scaled down
// (smaller ones are only copied), plus a quarter for the scaled copy. The
// upload check has already bounded the total by MaxTextureMemory, and the
// pool caps a reservation at its size, so one model never waits forever.
func resizeMemory(images []gltf.ImageFootprint) int64 {
	var need int64
	for _, im := range images {
		if max(im.Width, im.Height) > gltf.DefaultMaxTextureSize {
			need += im.Bytes + im.Bytes/4
		}
	}
	return need
}
