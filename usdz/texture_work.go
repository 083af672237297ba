package usdz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"

	"github.com/luneo/luneo/gltf"
)

// ErrImageOverBudget is wrapped by Convert's error when one image's decoded
// bitmap is larger than the whole memory budget.
var ErrImageOverBudget = errors.New("an image is larger than the memory budget")

// imageWork is everything done with one image: its files (colour, channels)
// made from one decoded bitmap, and the memory that takes at most.
type imageWork struct {
	img  int
	jobs []*texJob
	cost int64
}

// workSlack covers what an image's work holds besides the bitmaps counted
// by cost: the resampler's rows and filter taps, the zlib state of the
// encoder.
const workSlack = 1 << 20

// imageWork groups the jobs that need decoding by image, in plan order, and
// prices each group: the decoded bitmap as the upload check counts it
// (RGBA, 16-bit counting double, a progressive JPEG's coefficients too; an
// interlaced PNG's passes on top), one channel plane when a channel is
// needed (channels are made one after the other), the largest scaled
// bitmap, and every file's encoded bytes (at most about the raw size).
func (t *textures) imageWork() []*imageWork {
	var out []*imageWork
	byImage := map[int]*imageWork{}
	scaled := map[*imageWork]int64{} // the largest scaled bitmap of each image
	for _, j := range t.jobs {
		if j.kind == kindColor && !j.scale {
			j.out = j.data // passed through unchanged
			continue
		}
		g := byImage[j.img]
		if g == nil {
			g = &imageWork{img: j.img, cost: j.info.DecodedBytes() + workSlack}
			if j.info.Interlaced { // a pass, up to half the image, beside it while merging
				g.cost += j.info.DecodedBytes() / 2
			}
			byImage[j.img] = g
			out = append(out, g)
		}
		if j.kind != kindColor && !g.hasChannels() {
			g.cost += int64(j.info.Width) * int64(j.info.Height) // one plane at a time
		}
		g.jobs = append(g.jobs, j)
		perPixel := int64(1)
		if j.kind == kindColor {
			perPixel = 4
		}
		if j.info.BitDepth > 8 {
			perPixel *= 2
		}
		// Every file's encoded bytes stay until the package is written;
		// scaled bitmaps are made one after the other, so only the
		// largest counts.
		outBytes := int64(j.w) * int64(j.h) * perPixel
		g.cost += outBytes + workSlack
		if j.scale && outBytes > scaled[g] {
			g.cost += outBytes - scaled[g]
			scaled[g] = outBytes
		}
	}
	return out
}

func (g *imageWork) hasChannels() bool {
	for _, j := range g.jobs {
		if j.kind != kindColor {
			return true
		}
	}
	return false
}

// encodeAll produces the bytes of every planned file and adds them to the
// package in plan order. Images are worked in parallel (one goroutine per
// CPU: PNG compression of large maps dominates conversion time) only while
// their reservations fit in the memory budget together; each image's
// bitmaps are dropped, and its reservation released, once its files are
// encoded. Output bytes do not depend on the order work finishes in.
func (t *textures) encodeAll(ctx context.Context) error {
	budget, shared := t.c.opts.MemoryBudget, t.c.opts.Memory
	workers := runtime.GOMAXPROCS(0)
	done := make(chan int64, len(t.jobs))
	var reserved int64
	running := 0
	wait := func() {
		reserved -= <-done
		running--
	}
	var err error
	for _, g := range t.imageWork() {
		if dec := g.jobs[0].info.DecodedBytes(); dec > budget {
			err = fmt.Errorf("image %d is %d×%d, %s decoded, more than the %s memory budget: %w",
				g.img, g.jobs[0].info.Width, g.jobs[0].info.Height, gltf.MiB(dec), gltf.MiB(budget), ErrImageOverBudget)
			break
		}
		cost := min(g.cost, budget)
		for running > 0 && (running >= workers || reserved+cost > budget) {
			wait()
		}
		if err = ctx.Err(); err != nil {
			break
		}
		if shared != nil {
			if err = shared.Acquire(ctx, cost); err != nil {
				break
			}
		}
		reserved += cost
		t.peak = max(t.peak, reserved)
		running++
		go func() {
			defer func() { done <- cost }()
			if shared != nil {
				defer shared.Release(cost)
			}
			g.run(ctx)
		}()
	}
	for running > 0 {
		wait()
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return err
	}
	for _, j := range t.jobs {
		if j.warn != "" {
			t.c.warnf("%s", j.warn)
		}
		t.files = append(t.files, file{name: j.name, data: j.out})
	}
	return nil
}

// run makes the files of one image from one decode. The bitmaps are local:
// they are garbage as soon as run returns.
func (g *imageWork) run(ctx context.Context) {
	src, _, err := image.Decode(&ctxReader{ctx: ctx, r: bytes.NewReader(g.jobs[0].data)})
	for _, j := range g.jobs {
		if ctx.Err() != nil {
			return
		}
		j.encode(src, err)
	}
}

// encode scales and encodes a job's file from the decoded image. When the
// image turned out to be corrupt past its header, a 1×1 neutral image takes
// its place, so the layer's reference stays valid.
func (j *texJob) encode(src image.Image, decodeErr error) {
	var out image.Image
	switch {
	case decodeErr != nil:
		j.warn = fmt.Sprintf("image %d could not be decoded and was replaced by a blank texture: %v", j.img, decodeErr)
		j.w, j.h, j.scale = 1, 1, false
		out = blank(j.kind)
	case j.kind == kindColor:
		out = gltf.ResampleImage(src, j.w, j.h, j.mime == "image/jpeg")
	default:
		out = channel(src, int(j.kind-kindR))
		if j.scale {
			out = gltf.ResampleImage(out, j.w, j.h, false)
		}
	}
	var buf bytes.Buffer
	var err error
	if j.mime == "image/jpeg" {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: jpegQuality})
	} else {
		// Fastest deflate: these are scaled or split maps, and zlib's
		// default level costs about twice the time for a few % of size.
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, out)
	}
	if err != nil { // cannot happen for in-memory images of these types
		j.warn = fmt.Sprintf("image %d could not be encoded: %v", j.img, err)
	}
	j.out = buf.Bytes()
}

// ctxReader stops a decode when ctx ends: decoders read as they go, so a
// cancelled conversion does not finish inflating a large image first.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
