package gltf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"runtime"
	"sync"
)

// rebuildImages merges images with the same bytes, scales down those over
// the size limit, and hands their data to the binary builder (every image
// ends up in a buffer view, as in any GLB).
func (p *optimizer) rebuildImages() error {
	d := p.doc
	remap := make([]int, len(d.Images))
	var out []Image
	var data [][]byte
	seen := map[uint64][]int{}
	seed := maphash.MakeSeed()
	for i := range d.Images {
		b, err := p.src.ImageData(p.imageSrc[i])
		if err != nil {
			return err
		}
		im := d.Images[i]
		if im.MimeType == "" {
			im.MimeType = ImageMIME(b)
		}
		if im.MimeType == "" {
			return fmt.Errorf("image %d: unknown image format, cannot embed it without a mimeType", p.imageSrc[i])
		}
		key := maphash.Bytes(seed, b)
		dup := -1
		for _, j := range seen[key] {
			if out[j].MimeType == im.MimeType && bytes.Equal(data[j], b) && sameJSON(out[j].Extras, im.Extras) && sameExtensions(out[j].Extensions, im.Extensions) {
				dup = j
				break
			}
		}
		if dup >= 0 {
			remap[i] = dup
			p.rep.Merged.Images++
			continue
		}
		remap[i] = len(out)
		seen[key] = append(seen[key], len(out))
		im.URI, im.BufferView, im.Data = "", nil, nil
		out = append(out, im)
		data = append(data, b)
	}
	if err := p.resizeImages(out, data); err != nil {
		return err
	}
	d.Images = out
	for i, b := range data {
		p.bin.addImage(i, b)
	}
	for i := range d.Textures {
		mapTextureImages(&d.Textures[i], func(im int) int { return remap[im] })
	}
	return nil
}

// resizeImages scales down, in place in data, every PNG or JPEG image
// larger than the limit, a few at a time (one per CPU).
func (p *optimizer) resizeImages(images []Image, data [][]byte) error {
	limit := p.opts.MaxTextureSize
	if limit < 0 {
		return nil
	}
	results := make([]*ResizedImage, len(images))
	errs := make([]error, len(images))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range images {
		mime := images[i].MimeType
		if mime != "image/png" && mime != "image/jpeg" {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, b, err := downscale(data[i], mime, limit, p.opts.MaxImagePixels)
			if err != nil {
				errs[i] = fmt.Errorf("image %d (%s): %w", i, images[i].Name, err)
				return
			}
			if r != nil {
				r.Image, r.Name = i, images[i].Name
				results[i], data[i] = r, b
			}
		}()
	}
	wg.Wait()
	for i := range images {
		if errs[i] != nil {
			return errs[i]
		}
		if results[i] != nil {
			p.rep.ResizedImages = append(p.rep.ResizedImages, *results[i])
		}
	}
	return nil
}

// mergeSamplers merges samplers with the same effective filters, wraps,
// extensions and extras.
func (p *optimizer) mergeSamplers() {
	d := p.doc
	remap := make([]int, len(d.Samplers))
	var out []Sampler
	for i, s := range d.Samplers {
		remap[i] = len(out)
		for j := range out {
			if sameSampler(&out[j], &s) {
				remap[i] = j
				break
			}
		}
		if remap[i] == len(out) {
			out = append(out, s)
		} else {
			p.rep.Merged.Samplers++
		}
	}
	d.Samplers = out
	for i := range d.Textures {
		if t := &d.Textures[i]; t.Sampler != nil {
			t.Sampler = Ptr(remap[*t.Sampler])
		}
	}
}

func sameSampler(a, b *Sampler) bool {
	wrap := func(w *int) int {
		if w == nil {
			return WrapRepeat
		}
		return *w
	}
	return a.MagFilter == b.MagFilter && a.MinFilter == b.MinFilter && wrap(a.WrapS) == wrap(b.WrapS) && wrap(a.WrapT) == wrap(b.WrapT) &&
		sameJSON(a.Extras, b.Extras) && sameExtensions(a.Extensions, b.Extensions)
}

// mergeTextures merges textures that pair the same image and sampler with
// the same extensions and extras (common once images are merged).
func (p *optimizer) mergeTextures() {
	d := p.doc
	remap := make([]int, len(d.Textures))
	var out []Texture
	for i, t := range d.Textures {
		remap[i] = len(out)
		for j := range out {
			if sameRef(out[j].Source, t.Source) && sameRef(out[j].Sampler, t.Sampler) && sameJSON(out[j].Extras, t.Extras) && sameExtensions(out[j].Extensions, t.Extensions) {
				remap[i] = j
				break
			}
		}
		if remap[i] == len(out) {
			out = append(out, t)
		} else {
			p.rep.Merged.Textures++
		}
	}
	d.Textures = out
	for i := range d.Materials {
		mapMaterialTextures(&d.Materials[i], func(t int) int { return remap[t] })
	}
}

func sameRef(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// sameJSON compares two JSON values by their compact text.
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

func sameExtensions(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameJSON(v, w) {
			return false
		}
	}
	return true
}
