package usdz

import (
	"context"
	"errors"
	"image/color"
	"sync"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// channelDoc is a quad whose n materials each use their own packed
// metal-roughness image: with Options.SplitChannels every image must be
// decoded and split.
func channelDoc(t testing.TB, n, side int) *gltf.Document {
	b := newBuilder()
	d := &b.doc
	pos := b.floats(gltf.TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 1, 0})
	uv := b.floats(gltf.TypeVec2, []float32{0, 0, 1, 0, 0, 1})
	var prims []gltf.Primitive
	for i := range n {
		tex := b.image(testPNG(t, side, side, func(x, y int) color.NRGBA {
			return color.NRGBA{uint8(i), uint8(x), uint8(y), 255}
		}), nil)
		d.Materials = append(d.Materials, gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{
			MetallicRoughnessTexture: &gltf.TextureInfo{Index: tex}}})
		prims = append(prims, gltf.Primitive{Attributes: map[string]int{"POSITION": pos, "TEXCOORD_0": uv}, Material: gltf.Ptr(i)})
	}
	d.Meshes = []gltf.Mesh{{Primitives: prims}}
	d.Nodes = []gltf.Node{{Mesh: gltf.Ptr(0)}}
	d.Scenes = []gltf.Scene{{Nodes: []int{0}}}
	d.Scene = gltf.Ptr(0)
	return b.finish()
}

// recordingMemory is a process pool that records how much and how many
// reservations it holds at once, and can run a hook on each Acquire.
type recordingMemory struct {
	mu                   sync.Mutex
	held, peak, acquires int64
	holders, peakHolders int
	onAcquire            func()
}

func (m *recordingMemory) Acquire(ctx context.Context, n int64) error {
	m.mu.Lock()
	m.held += n
	m.peak = max(m.peak, m.held)
	m.holders++
	m.peakHolders = max(m.peakHolders, m.holders)
	m.acquires++
	hook := m.onAcquire
	m.mu.Unlock()
	if hook != nil {
		hook()
	}
	return nil
}

func (m *recordingMemory) Release(n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.held -= n
	m.holders--
}

// imageCost is what each image of channelDoc reserves.
func imageCost(t *testing.T, doc *gltf.Document) int64 {
	t.Helper()
	c := newConverter(doc, Options{SplitChannels: true}.withDefaults())
	c.writeStage()
	var most int64
	for _, g := range c.tex.imageWork() {
		most = max(most, g.cost)
	}
	return most
}

// Under a budget that holds one image's work but not two, a model with
// several images is converted one image at a time, and gives the same
// bytes as with a budget that lets them run in parallel.
func TestConvertWithinMemoryBudget(t *testing.T) {
	t.Parallel()
	doc := channelDoc(t, 6, 64)
	cost := imageCost(t, doc)
	mem := &recordingMemory{}
	small, err := Convert(context.Background(), doc, Options{MemoryBudget: cost + cost/2, Memory: mem, SplitChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if small.Stats.Textures != 12 {
		t.Fatalf("%d textures, want 12 (roughness and metal of 6 images)", small.Stats.Textures)
	}
	if small.Stats.PeakImageMemory != cost || mem.peak != cost || mem.peakHolders != 1 || mem.acquires != 6 {
		t.Errorf("peak %d bytes (pool: %d bytes, %d holders, %d acquires), want one image of %d at a time",
			small.Stats.PeakImageMemory, mem.peak, mem.peakHolders, mem.acquires, cost)
	}
	large, err := Convert(context.Background(), doc, Options{MemoryBudget: 1 << 30, SplitChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(large.Bytes) != string(small.Bytes) {
		t.Error("the budget changed the package's bytes")
	}
}

// An image whose bitmap alone exceeds the budget fails the conversion
// instead of waiting for memory that can never be free.
func TestConvertRefusesImageOverBudget(t *testing.T) {
	t.Parallel()
	doc := channelDoc(t, 2, 64)
	_, err := Convert(context.Background(), doc, Options{MemoryBudget: 64*64*4 - 1, SplitChannels: true})
	if !errors.Is(err, ErrImageOverBudget) {
		t.Fatalf("err = %v, want ErrImageOverBudget", err)
	}
}

// A cancelled context stops the conversion between images: after the
// first image's reservation cancels it, no other image is started.
func TestConvertStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	doc := channelDoc(t, 4, 64)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mem := &recordingMemory{onAcquire: cancel}
	_, err := Convert(ctx, doc, Options{Memory: mem, SplitChannels: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if mem.acquires != 1 || mem.held != 0 {
		t.Errorf("%d images started, %d bytes still held; want 1 and 0", mem.acquires, mem.held)
	}
	if _, err := Convert(ctx, doc, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: err = %v", err)
	}
}
