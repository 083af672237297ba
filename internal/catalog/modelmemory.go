package catalog

import (
	"archive/zip"
	"context"

	"github.com/luneo/luneo/internal/apperr"
)

// DefaultModelMemory is the process-wide model pool when Config leaves it
// unset (LUNEO_MAX_MODEL_MEMORY's default): 384 MiB. With the 256 MiB image
// pool and the ~90 MiB a `luneo dev` process holds at rest it keeps a
// process under 1 GiB, and it lets one model at the 100 MiB upload limit
// (whose reservation is capped at the pool) or several smaller ones be
// worked at once.
const DefaultModelMemory = 384 << 20

// UploadMemoryFactor is how many times its file size an upload is counted
// in the model pool. Measured (README "Memory limits") on a 27 MiB GLB of
// 2.4 million distinct vertices, the worst case for the optimizer since
// nothing welds or prunes away: the reader holds the file once (the
// document's buffers point into it), the optimizer's output is a second
// copy and its welding tables a transient third, and the writer packs a
// new BIN chunk: 2.1× stays live after optimizing, and the process's peak
// RSS rose by 5.3× the file (collector at GOGC=5, so little garbage
// counts). Images are not in this count: their decodes reserve from the
// image pool.
const UploadMemoryFactor = 5

// modelMemory is what reading, validating and optimizing the spooled file
// takes from the model pool: UploadMemoryFactor times the bytes the reader
// will hold. A zip counts what its entries declare they expand to (at most
// the model limit, which the reader enforces while inflating), since the
// reader holds the inflated files, not the zip.
func modelMemory(f *spooled, format string, max int64) int64 {
	n := f.size
	if format == "zip" {
		if zr, err := zip.NewReader(f, f.size); err == nil {
			var expanded int64
			for _, e := range zr.File {
				expanded += int64(min(e.UncompressedSize64, uint64(max)))
				if expanded >= max {
					break
				}
			}
			n += min(expanded, max)
		}
	}
	return n * UploadMemoryFactor
}

// reserveUpload reserves the model memory of an upload from the
// process-wide model pool, waiting while other uploads and conversions hold
// it (a model counted above the pool runs alone, see membudget.Reserve).
// Model memory is always reserved before image memory (the optimizer's
// resizing, a conversion's images), never the other way round, so the two
// pools cannot wait on each other. A request that ends while it waits gets
// a 503 saying why (the client may be gone).
func (s *Service) reserveUpload(ctx context.Context, f *spooled, format string) (func(), error) {
	release, err := s.cfg.Models.Reserve(ctx, modelMemory(f, format, s.cfg.MaxModelSize))
	if err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, err,
			"the upload stopped while waiting for other models to be processed (LUNEO_MAX_MODEL_MEMORY); try again")
	}
	return release, nil
}
