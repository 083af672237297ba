package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/luneo/luneo/compose"
)

// The cache keeps at most its bound, forgets the least recently used
// first, hands back without keeping an entry larger than half the bound,
// and does not keep errors.
func TestSketchCacheBound(t *testing.T) {
	ctx := context.Background()
	c := newSketchCache(100)
	loads := map[string]int{}
	get := func(key string, size int64) {
		t.Helper()
		v, err := c.get(ctx, key, func() (any, int64, error) { loads[key]++; return key, size, nil })
		if err != nil || v != key {
			t.Fatalf("get %s = %v, %v", key, v, err)
		}
	}
	get("a", 40)
	get("b", 40)
	get("a", 40) // a is now the most recent
	get("c", 40) // evicts b
	if n, used := c.stats(); n != 2 || used != 80 {
		t.Errorf("after a, b, a, c: %d entries, %d bytes; want 2 and 80", n, used)
	}
	get("a", 40)
	get("b", 40)
	if loads["a"] != 1 || loads["b"] != 2 {
		t.Errorf("loads %v: want a once (kept) and b twice (evicted)", loads)
	}
	get("big", 51)
	get("big", 51)
	if loads["big"] != 2 {
		t.Errorf("an entry over half the bound was loaded %d times, want 2 (never kept)", loads["big"])
	}
	boom := errors.New("boom")
	for range 2 {
		if _, err := c.get(ctx, "bad", func() (any, int64, error) { loads["bad"]++; return nil, 0, boom }); !errors.Is(err, boom) {
			t.Fatalf("failing load: %v", err)
		}
	}
	if loads["bad"] != 2 {
		t.Errorf("a failed load was cached")
	}
	if _, used := c.stats(); used > 100 {
		t.Errorf("%d bytes held, bound 100", used)
	}
}

// Concurrent misses of one key load it once; when the loading request is
// cancelled, a waiter still being served loads for itself.
func TestSketchCacheLoadsOnce(t *testing.T) {
	c := newSketchCache(1 << 20)
	var loads atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.get(context.Background(), "k", func() (any, int64, error) {
				loads.Add(1)
				<-release
				return "v", 1, nil
			})
			if err != nil || v != "v" {
				t.Errorf("get = %v, %v", v, err)
			}
		}()
	}
	for !c.waitingOn("k") {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Errorf("8 concurrent misses loaded %d times, want 1", n)
	}

	// The loader's request ends while another waits for its load.
	ctx, cancel := context.WithCancel(context.Background())
	proceed := make(chan struct{})
	go func() {
		_, _ = c.get(ctx, "slow", func() (any, int64, error) {
			<-proceed
			return nil, 0, ctx.Err()
		})
	}()
	for !c.waitingOn("slow") {
		runtime.Gosched()
	}
	done := make(chan error)
	go func() {
		v, err := c.get(context.Background(), "slow", func() (any, int64, error) { return "mine", 1, nil })
		if err == nil && v != "mine" {
			err = fmt.Errorf("got %v", v)
		}
		done <- err
	}()
	for c.waiters("slow") == 0 {
		runtime.Gosched()
	}
	cancel()
	close(proceed)
	if err := <-done; err != nil {
		t.Errorf("a waiter whose loader was cancelled: %v, want its own load", err)
	}
}

// waiters is the number of requests waiting for the load of key (tests).
func (c *sketchCache) waiters(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if call := c.loading[key]; call != nil {
		return call.waiters
	}
	return 0
}

// waitingOn reports whether a load of key is in progress (tests).
func (c *sketchCache) waitingOn(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loading[key] != nil
}

// The zone mask fitted to the preview's frame (fitMask) clips exactly as
// the full mask stretched over the scene does, for both kinds of mask:
// alpha, and luminance (an opaque black and white picture).
func TestFittedMaskClipsLikeTheFullMask(t *testing.T) {
	const w, h = 173, 71
	alpha := image.NewNRGBA(image.Rect(0, 0, 640, 256))
	lum := image.NewNRGBA(alpha.Rect)
	for y := range 256 {
		for x := range 640 {
			v := uint8((x*7 + y*3) % 256)
			if (x/40+y/40)%2 == 0 {
				v = 255 - v/4
			}
			alpha.SetNRGBA(x, y, color.NRGBA{R: 255, G: 255, B: 255, A: v})
			lum.SetNRGBA(x, y, color.NRGBA{R: v, G: v / 2, B: 255 - v, A: 255})
		}
	}
	scene := &compose.Scene{Width: w, Height: h, Mask: "m", Layers: []compose.Layer{{Type: "fill", Color: "#3366cc"}}}
	for name, m := range map[string]*image.NRGBA{"alpha": alpha, "luminance": lum} {
		full, err := compose.Render(context.Background(), scene, compose.Options{Sources: sketchSources{"m": m}})
		if err != nil {
			t.Fatal(err)
		}
		fitted, err := compose.Render(context.Background(), scene, compose.Options{Sources: sketchSources{"m": fitMask(m, w, h)}})
		if err != nil {
			t.Fatal(err)
		}
		diff := 0
		for i := range full.Pix {
			if full.Pix[i] != fitted.Pix[i] {
				diff++
			}
		}
		if diff != 0 {
			t.Errorf("%s mask: %d of %d bytes differ between the full and the fitted mask", name, diff, len(full.Pix))
		}
	}
}
