package render

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// sketchCache keeps what live previews (Sketch) would otherwise read and
// decode on every edit of a design: preview-sized copies of uploaded
// images, zone masks fitted to the preview's frame and font sets with
// brand fonts. Keys name content (brand and SHA-256, plus the size made),
// so an entry is never stale: a new upload is a new key, and the old one
// ages out. It is a least-recently-used list bounded in bytes (an entry
// larger than half the bound is handed back but not kept, so one zoomed
// photo cannot flush everything else), held outside the image pool like
// baseCache: the pool bounds the decodes that fill it.
//
// Concurrent misses of one key load it once: the others wait for that
// load (the widget fires previews of one design in bursts).
type sketchCache struct {
	max int64

	mu      sync.Mutex
	used    int64
	lru     *list.List // of *cacheEntry, most recently used first
	items   map[string]*list.Element
	loading map[string]*cacheCall
}

type cacheEntry struct {
	key  string
	val  any
	size int64
}

// cacheCall is a load in progress; done closes when val or err is set.
type cacheCall struct {
	done    chan struct{}
	val     any
	err     error
	waiters int // guarded by the cache's mu
}

// DefaultSketchCache is Config.SketchCache's default: 64 MiB, some twenty
// 1024-pixel image copies.
const DefaultSketchCache = 64 << 20

func newSketchCache(max int64) *sketchCache {
	return &sketchCache{max: max, lru: list.New(), items: map[string]*list.Element{}, loading: map[string]*cacheCall{}}
}

// get returns the value of key, calling load on a miss. load returns the
// value and the bytes it holds. An error is not cached; a waiter whose
// loader was cancelled (its request ended) loads for itself.
func (c *sketchCache) get(ctx context.Context, key string, load func() (any, int64, error)) (any, error) {
	for {
		c.mu.Lock()
		if e, ok := c.items[key]; ok {
			c.lru.MoveToFront(e)
			c.mu.Unlock()
			return e.Value.(*cacheEntry).val, nil
		}
		if call, ok := c.loading[key]; ok {
			call.waiters++
			c.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if call.err == nil {
				return call.val, nil
			}
			if isCancel(call.err) && ctx.Err() == nil {
				continue
			}
			return nil, call.err
		}
		call := &cacheCall{done: make(chan struct{})}
		c.loading[key] = call
		c.mu.Unlock()
		c.fill(key, call, load)
		return call.val, call.err
	}
}

// fill runs a load and publishes its outcome, even when load panics (the
// waiters then see an error instead of waiting for ever).
func (c *sketchCache) fill(key string, call *cacheCall, load func() (any, int64, error)) {
	var size int64
	call.err = errLoadPanicked
	defer func() {
		c.mu.Lock()
		delete(c.loading, key)
		if call.err == nil {
			c.add(key, call.val, size)
		}
		c.mu.Unlock()
		close(call.done)
	}()
	call.val, size, call.err = load()
}

var errLoadPanicked = errors.New("render: a preview cache load panicked")

// remove forgets key.
func (c *sketchCache) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.drop(e)
	}
}

// add stores an entry, evicting the least recently used ones to make
// room; c.mu is held.
func (c *sketchCache) add(key string, val any, size int64) {
	if size > c.max/2 {
		return
	}
	if e, ok := c.items[key]; ok {
		c.drop(e)
	}
	for c.used+size > c.max {
		c.drop(c.lru.Back())
	}
	c.items[key] = c.lru.PushFront(&cacheEntry{key: key, val: val, size: size})
	c.used += size
}

func (c *sketchCache) drop(e *list.Element) {
	ce := c.lru.Remove(e).(*cacheEntry)
	delete(c.items, ce.key)
	c.used -= ce.size
}

// stats returns the entries and bytes held (tests).
func (c *sketchCache) stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.used
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
