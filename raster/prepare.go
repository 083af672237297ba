package raster

import (
	"sort"
	"sync"

	"github.com/luneo/luneo/gltf"
)

// bigImage is the decoded size (bytes, from the header) above which an
// image is decoded alone rather than beside others: two 4096² images at
// once are fine, two 8192² ones would approach the process's memory cap.
const bigImage = 64 << 20

// prepare decodes every image the materials use, once each whatever the
// number of references, and builds its pyramids (sRGB for colour, linear
// for data, both when the image serves as both). Small images are worked
// on all cores at once; big ones one at a time.
func (c *textureCache) prepare(workers int) error {
	d := c.doc
	spaces := map[int]*[2]bool{} // image → [linear, sRGB] needed
	want := func(t *gltf.TextureInfo, srgb bool) {
		if t == nil || t.Index < 0 || t.Index >= len(d.Textures) || d.Textures[t.Index].Source == nil {
			return // refused or ignored later, by ref
		}
		img := *d.Textures[t.Index].Source
		if spaces[img] == nil {
			spaces[img] = &[2]bool{}
		}
		if srgb {
			spaces[img][1] = true
		} else {
			spaces[img][0] = true
		}
	}
	for i := range d.Materials {
		m := &d.Materials[i]
		if p := m.PBRMetallicRoughness; p != nil {
			want(p.BaseColorTexture, true)
			want(p.MetallicRoughnessTexture, false)
		}
		if n := m.NormalTexture; n != nil {
			want(&gltf.TextureInfo{Index: n.Index}, false)
		}
		if o := m.OcclusionTexture; o != nil {
			want(&gltf.TextureInfo{Index: o.Index}, false)
		}
		want(m.EmissiveTexture, true)
	}
	var small, big []int
	for img := range spaces {
		if data, err := d.ImageData(img); err == nil {
			if info, err := gltf.ReadImageInfo(data); err == nil && info.DecodedBytes() > bigImage {
				big = append(big, img)
				continue
			}
		}
		small = append(small, img)
	}
	sort.Ints(small)
	sort.Ints(big)
	var mu sync.Mutex
	var firstErr error
	work := func(img int) {
		mips, err := c.decode(img, *spaces[img])
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return
		}
		for k, m := range mips {
			if m != nil {
				c.mips[[2]int{img, k}] = m
			}
		}
	}
	parallel(workers, len(small), func(i int) { work(small[i]) })
	for _, img := range big {
		if firstErr != nil {
			break
		}
		work(img)
	}
	return firstErr
}

// decode builds the pyramids of image img in the colour spaces asked for.
func (c *textureCache) decode(img int, spaces [2]bool) ([2]*mipmap, error) {
	var out [2]*mipmap
	decoded, err := decodeImage(c.doc, img)
	if err != nil {
		return out, err
	}
	pix, w, h := toNRGBA(decoded)
	decoded = nil // the bitmap in its decoder's format can go now
	for k, need := range spaces {
		if need {
			out[k] = pyramid(pix, w, h, k == 1, c.maxTex, c.tables)
		}
	}
	return out, nil
}
