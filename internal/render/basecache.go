package render

import (
	"crypto/sha256"
	"image"
	"sync"
)

// baseCache keeps the last few decoded base colour textures: every save of
// a design decodes its product's texture again otherwise, about an eighth
// of a compose render. Entries are keyed by the encoded image's SHA-256 and
// never modified (designTexture only reads its base). Only textures up to
// maxCachedBase bytes decoded are kept, and at most baseCacheSize of them,
// so the cache holds at most 64 MiB outside the image pool.
type baseCache struct {
	mu      sync.Mutex
	entries []baseEntry // most recently used last
}

type baseEntry struct {
	sum [32]byte
	img image.Image
}

const (
	baseCacheSize = 4
	maxCachedBase = 16 << 20
)

func newBaseCache() *baseCache { return &baseCache{} }

// get returns the decoded image of data, decoding it with decode on a miss.
func (c *baseCache) get(data []byte, decode func() (image.Image, error)) (image.Image, error) {
	sum := sha256.Sum256(data)
	c.mu.Lock()
	for i, e := range c.entries {
		if e.sum == sum {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			c.mu.Unlock()
			return e.img, nil
		}
	}
	c.mu.Unlock()
	img, err := decode()
	if err != nil {
		return nil, err
	}
	if b := img.Bounds(); int64(b.Dx())*int64(b.Dy())*4 <= maxCachedBase {
		c.mu.Lock()
		c.entries = append(c.entries, baseEntry{sum: sum, img: img})
		if len(c.entries) > baseCacheSize {
			c.entries = c.entries[1:]
		}
		c.mu.Unlock()
	}
	return img, nil
}
