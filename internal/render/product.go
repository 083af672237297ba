package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
)

// product is a product model as model renders use it: parsed once per
// process and shared by the renders of every design on that product, so
// a design's 3D files cost the swap, not the parsing.
type product struct {
	sha string
	doc *gltf.Document
	// usdz is the product's cached USDZ (internal/ar converts it when the
	// model is uploaded), which per-design USDZ files are re-laid from.
	usdz []byte
	rasterState
}

// productCacheSize is how many products a process keeps loaded: a few
// products take most designs, and each entry may hold a model of up to the
// upload limit twice (GLB and USDZ).
const productCacheSize = 2

// maxProductBytes bounds what is read of a product's GLB or USDZ.
const maxProductBytes = 2 * catalog.DefaultMaxModelSize

// productCache holds the last products loaded, loading each once even
// when several renders ask at the same time.
type productCache struct {
	mu      sync.Mutex
	entries []*productEntry // least recently used first
}

type productEntry struct {
	sha  string
	once sync.Once
	p    *product
	err  error
}

// get returns the loaded product of ref.
func (c *productCache) get(ctx context.Context, s *Service, ref catalog.ModelRef) (*product, error) {
	c.mu.Lock()
	var e *productEntry
	for i, x := range c.entries {
		if x.sha == ref.GLBSHA256 {
			e = x
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), x)
			break
		}
	}
	if e == nil {
		e = &productEntry{sha: ref.GLBSHA256}
		c.entries = append(c.entries, e)
		if len(c.entries) > productCacheSize {
			c.entries = c.entries[1:]
		}
	}
	c.mu.Unlock()
	e.once.Do(func() { e.p, e.err = s.loadProduct(context.WithoutCancel(ctx), ref) })
	if e.err != nil {
		c.forget(e) // a failure (a USDZ not converted yet) is retried
		return nil, e.err
	}
	return e.p, nil
}

func (c *productCache) forget(e *productEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.entries {
		if x == e {
			c.entries = append(c.entries[:i:i], c.entries[i+1:]...)
			return
		}
	}
}

// loadProduct reads and parses a product's canonical GLB and its USDZ.
func (s *Service) loadProduct(ctx context.Context, ref catalog.ModelRef) (*product, error) {
	glb, err := s.readBlob(ctx, ref.GLBKey, maxProductBytes)
	if err != nil {
		return nil, fmt.Errorf("read product model: %w", err)
	}
	doc, err := gltf.Read(bytes.NewReader(glb), int64(len(glb)), gltf.ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("read product model: %w", err)
	}
	pkg, err := s.readBlob(ctx, ar.USDZKey(ref.GLBSHA256), maxProductBytes)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, errProductUSDZPending
	}
	if err != nil {
		return nil, fmt.Errorf("read product USDZ: %w", err)
	}
	return &product{sha: ref.GLBSHA256, doc: doc, usdz: pkg}, nil
}

// errProductUSDZPending: the product's own USDZ conversion has not
// finished (or failed and is retried). A model render waits for it, up to
// productUSDZWait, rather than convert the same model a second time.
var errProductUSDZPending = errors.New("the product's USDZ is not converted yet")

// productUSDZWait is how long a model render waits for the product's USDZ.
const productUSDZWait = 10 * time.Minute

// productFor returns the loaded product of the job, snoozing the job while
// the product's USDZ is being converted.
func (s *Service) productFor(ctx context.Context, j *job) (*product, error) {
	p, err := s.products.get(ctx, s, j.src.Model)
	if !errors.Is(err, errProductUSDZPending) {
		return p, err
	}
	failed := s.cfg.Now().Sub(j.created) > productUSDZWait
	if s.productAR != nil {
		st, err := s.productAR.EnsureUSDZ(ctx, j.BrandID, j.ProductID, j.src.Model.GLBSHA256)
		if err != nil {
			return nil, err
		}
		failed = failed || st == ar.Failed
	}
	if failed {
		return nil, apperr.New(apperr.Unprocessable, "the product's AR file could not be made: see the product's page")
	}
	return nil, river.JobSnooze(2 * time.Second)
}

// readBlob reads a whole blob of at most limit bytes.
func (s *Service) readBlob(ctx context.Context, key string, limit int64) ([]byte, error) {
	rc, _, err := s.blobs.Get(ctx, key, nil)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", key, limit)
	}
	return b, nil
}
