package raster

import (
	"math"
	"sort"
	"sync"
)

// projected holds a drawable's vertices in screen space: x, y in pixels
// and 1/w, three floats per vertex; 1/w = 0 marks a vertex that cannot be
// drawn (behind the near plane).
type projected []float32

// tri is a triangle that survived culling: its drawable, the offset of its
// first index, its pixel bounding box and whether its back faces the
// camera (a double-sided one, shaded with the normal turned around).
type tri struct {
	d, base                int32
	minX, minY, maxX, maxY int16
	back                   bool
}

// project transforms every vertex of every drawable to the screen, the
// drawables shared among the workers.
func (f *frame) project() {
	draws := f.m.draws
	f.verts = make([]projected, len(draws))
	parallel(f.workers, len(draws), func(i int) {
		pos := draws[i].pos
		out := make(projected, len(pos))
		for v := 0; v+2 < len(pos); v += 3 {
			x, y, iw, ok := f.cam.project(vec3{float64(pos[v]), float64(pos[v+1]), float64(pos[v+2])})
			if ok {
				out[v], out[v+1], out[v+2] = float32(x), float32(y), float32(iw)
			}
		}
		f.verts[i] = out
	})
}

// parallel runs fn(0…n-1) on up to workers goroutines.
func parallel(workers, n int, fn func(i int)) {
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// setup culls triangle (d, base) and returns its record; ok is false for
// triangles that are not drawn: off screen, degenerate, behind the near
// plane, or single-sided and seen from the back.
func (f *frame) setup(d, base int) (t tri, ok bool) {
	dr := &f.m.draws[d]
	v := f.verts[d]
	i0, i1, i2 := 3*int(dr.idx[base]), 3*int(dr.idx[base+1]), 3*int(dr.idx[base+2])
	if v[i0+2] == 0 || v[i1+2] == 0 || v[i2+2] == 0 {
		return t, false
	}
	x0, y0, x1, y1, x2, y2 := v[i0], v[i0+1], v[i1], v[i1+1], v[i2], v[i2+1]
	area := (x1-x0)*(y2-y0) - (x2-x0)*(y1-y0)
	if !(area != 0) || math.IsInf(float64(area), 0) {
		return t, false
	}
	// glTF front faces are counter-clockwise; with y down on screen that
	// is a negative area.
	t.back = area > 0
	if t.back && !f.mats[dr.mat].doubleSided {
		return t, false
	}
	lim := float32(f.size - 1)
	minX, maxX := max(0, min(x0, x1, x2)), min(lim, max(x0, x1, x2))
	minY, maxY := max(0, min(y0, y1, y2)), min(lim, max(y0, y1, y2))
	if minX > maxX || minY > maxY {
		return t, false
	}
	t.d, t.base = int32(d), int32(base)
	t.minX, t.maxX = int16(minX), int16(maxX)
	t.minY, t.maxY = int16(minY), int16(maxY)
	return t, true
}

// bin sets up every triangle and lists, per band of rows, the opaque and
// masked ones (per worker, in model order) and the blended ones (sorted
// back to front by the distance of their centroid).
func (f *frame) bin() {
	type job struct{ d, from, to int }
	var jobs []job
	const chunk = 3 * 16384
	for d := range f.m.draws {
		for from := 0; from < len(f.m.draws[d].idx); from += chunk {
			jobs = append(jobs, job{d, from, min(from+chunk, len(f.m.draws[d].idx))})
		}
	}
	// Each job keeps its own triangles and bins; they are joined in job
	// order so the result does not depend on scheduling.
	tris := make([][]tri, len(jobs))
	bins := make([][][]int32, len(jobs))
	parallel(f.workers, len(jobs), func(j int) {
		jb := jobs[j]
		blend := f.mats[f.m.draws[jb.d].mat].alpha == alphaBlend
		for base := jb.from; base+2 < jb.to; base += 3 {
			if t, ok := f.setup(jb.d, base); ok {
				tris[j] = append(tris[j], t)
			}
		}
		if blend {
			return
		}
		bins[j] = make([][]int32, f.bands)
		for i, t := range tris[j] {
			for b := int(t.minY) / bandRows; b <= int(t.maxY)/bandRows; b++ {
				bins[j][b] = append(bins[j][b], int32(i))
			}
		}
	})
	var blended []int32
	for j := range jobs {
		off := int32(len(f.tris))
		for b := range bins[j] {
			for k := range bins[j][b] {
				bins[j][b][k] += off
			}
		}
		if bins[j] == nil {
			for i := range tris[j] {
				blended = append(blended, off+int32(i))
			}
		}
		f.tris = append(f.tris, tris[j]...)
	}
	f.opaque = bins
	f.sortBlend(blended)
}

func (f *frame) sortBlend(ids []int32) {
	dist := make([]float32, len(f.tris))
	for _, id := range ids {
		t := &f.tris[id]
		dr := &f.m.draws[t.d]
		v := f.verts[t.d]
		var sum float32
		for k := 0; k < 3; k++ {
			sum += 1 / v[3*int(dr.idx[int(t.base)+k])+2]
		}
		dist[id] = sum
	}
	sort.SliceStable(ids, func(a, b int) bool { return dist[ids[a]] > dist[ids[b]] })
	f.blend = make([][]int32, f.bands)
	for _, id := range ids {
		t := &f.tris[id]
		for b := int(t.minY) / bandRows; b <= int(t.maxY)/bandRows; b++ {
			f.blend[b] = append(f.blend[b], id)
		}
	}
}
