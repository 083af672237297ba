package usdz

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"

	"github.com/luneo/luneo/gltf"
)

// Swap replaces glTF material Material's base-colour texture by an already
// encoded image: the same swap as gltf.WithBaseColors takes, so one list
// makes a design's GLB and its USDZ. Here the image is used unchanged: it
// must fit the package's MaxTextureSize, it is never scaled.
type Swap = gltf.BaseColorSwap

// Errors wrapped by Retexture's errors.
var (
	// ErrNotRetexturable: the package was not made by a converter version
	// that marks its materials (1.1.0 and later), or is not a usdz.
	ErrNotRetexturable = errors.New("usdz: the package cannot be retextured")
	// ErrBadSwap: a swap names a material the glTF does not have, a UV
	// set its meshes lack, or an image that is not a PNG or JPEG of an
	// allowed size.
	ErrBadSwap = errors.New("usdz: bad texture swap")
)

// swapName prefixes the files of swapped images in the package.
const swapName = "textures/swap_"

// Retexture returns a copy of package pkg (made by Convert, version 1.1.0
// or later) in which each swapped material samples its new image with the
// given UV set. Only the Materials scope of the root layer is rewritten:
// geometry is copied as it is. A swapped material keeps its texture
// transform and wrap modes when it had a base-colour texture; the image's
// alpha feeds opacity for BLEND and MASK materials as before. Other
// materials, even those that shared the old image, are unchanged; images
// no material uses any more are dropped, and identical images are stored
// once. A swap of a material the glTF has but no mesh uses changes
// nothing. Same inputs, same bytes.
func Retexture(pkg []byte, swaps []Swap) ([]byte, error) {
	entries, err := readEntries(pkg)
	if err != nil {
		return nil, err
	}
	layer := entries[0].data
	hdr, err := readLayerHeader(layer)
	if err != nil {
		return nil, err
	}
	start, end, indent, scope, err := findScope(layer)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRetexturable, err)
	}
	var surfaces []*surface
	if scope != nil {
		for _, m := range scope.children {
			s, err := readSurface(m)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrNotRetexturable, err)
			}
			surfaces = append(surfaces, s)
		}
	}
	added, err := applySwaps(hdr, surfaces, swaps, entries)
	if err != nil {
		return nil, err
	}
	var u usda
	u.indent = indent
	writeMaterialScope(&u, surfaces)
	newLayer := make([]byte, 0, start+len(u.b)+len(layer)-end)
	newLayer = append(append(append(newLayer, layer[:start]...), u.b...), layer[end:]...)

	used := map[string]bool{}
	for _, s := range surfaces {
		for _, t := range s.slots {
			used[t.file] = true
		}
	}
	files := []file{{name: entries[0].name, data: newLayer}}
	for _, e := range entries[1:] {
		if !strings.HasPrefix(e.name, "textures/") || used[e.name] {
			files = append(files, e)
		}
	}
	for _, f := range added {
		if used[f.name] {
			files = append(files, f)
		}
	}
	out, err := writeZip(files)
	if err != nil {
		return nil, fmt.Errorf("usdz: retexture: %w", err)
	}
	return out, nil
}

// layerHeader is what Retexture reads of the root layer's metadata.
type layerHeader struct {
	version        string
	materials      int // glTF material count
	maxTextureSize int // ≤ 0: no limit
}

// readLayerHeader reads the markers of the layer metadata (see matmeta.go).
func readLayerHeader(layer []byte) (layerHeader, error) {
	h := layerHeader{materials: -1}
	end := bytes.Index(layer, []byte("\n)\n"))
	if !bytes.HasPrefix(layer, []byte("#usda 1.0\n(")) || end < 0 {
		return h, fmt.Errorf("%w: the root layer is not USD text written by Luneo", ErrNotRetexturable)
	}
	seen := 0
	for _, l := range strings.Split(string(layer[:end]), "\n") {
		decl, val, ok := strings.Cut(strings.TrimSpace(l), " = ")
		if !ok {
			continue
		}
		var err error
		switch decl {
		case "string creator":
			v, _ := strconv.Unquote(val)
			h.version, ok = strings.CutPrefix(v, creatorPrefix)
			if ok {
				seen++
			}
		case "int " + metaMaterials:
			h.materials, err = strconv.Atoi(val)
			seen++
		case "int " + metaMaxTextureSize:
			h.maxTextureSize, err = strconv.Atoi(val)
			seen++
		}
		if err != nil {
			return h, fmt.Errorf("%w: %s: %v", ErrNotRetexturable, decl, err)
		}
	}
	if seen != 3 || h.materials < 0 {
		return h, fmt.Errorf("%w: made by converter %q, which does not mark its materials (1.1.0 or later does): convert the model again", ErrNotRetexturable, h.version)
	}
	return h, nil
}

// applySwaps checks every swap and points the swapped materials' base
// colour at their new images, returned as the files to add.
func applySwaps(hdr layerHeader, surfaces []*surface, swaps []Swap, entries []file) ([]file, error) {
	var added []file
	done := map[int]bool{}
	for _, sw := range swaps {
		if sw.Material < 0 || sw.Material >= hdr.materials {
			return nil, fmt.Errorf("%w: material %d does not exist (the model has %d)", ErrBadSwap, sw.Material, hdr.materials)
		}
		if done[sw.Material] {
			return nil, fmt.Errorf("%w: material %d is swapped twice", ErrBadSwap, sw.Material)
		}
		done[sw.Material] = true
		ext, err := checkSwapImage(sw.Data, hdr.maxTextureSize)
		if err != nil {
			return nil, fmt.Errorf("%w: material %d: %v", ErrBadSwap, sw.Material, err)
		}
		i := slices.IndexFunc(surfaces, func(s *surface) bool { return s.index == sw.Material })
		if i < 0 {
			continue // no mesh shows the material: nothing to change
		}
		s := surfaces[i]
		if sw.TexCoord < 0 || sw.TexCoord >= maxUVSets || s.uvSets&(1<<sw.TexCoord) == 0 {
			return nil, fmt.Errorf("%w: material %d: not every mesh using it has TEXCOORD_%d, which the image is to be sampled with", ErrBadSwap, sw.Material, sw.TexCoord)
		}
		name, f := swapFile(sw.Data, ext, entries, added)
		if f != nil {
			added = append(added, *f)
		}
		if err := s.swapBaseColor(sw, name); err != nil {
			return nil, fmt.Errorf("%w: material %d: %v", ErrNotRetexturable, sw.Material, err)
		}
	}
	return added, nil
}

// checkSwapImage checks an image's header (never its pixels) and returns
// its file extension.
func checkSwapImage(data []byte, maxSide int) (string, error) {
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}[sniff(data)]
	if ext == "" {
		return "", errors.New("the image is neither PNG nor JPEG")
	}
	info, err := gltf.ReadImageInfo(data)
	if err != nil {
		return "", err
	}
	if maxSide > 0 && max(info.Width, info.Height) > maxSide {
		return "", fmt.Errorf("the image is %d×%d, larger than the package's %d pixels a side: scale it down first", info.Width, info.Height, maxSide)
	}
	if int64(info.Width)*int64(info.Height) > DefaultMaxImagePixels {
		return "", fmt.Errorf("the image is %d×%d, more than %d pixels", info.Width, info.Height, DefaultMaxImagePixels)
	}
	return ext, nil
}

// swapFile names the file of a swapped image after its CRC: an image
// already in the package (or added by another swap) is reused, and a name
// taken by other bytes gets a numbered suffix. f is nil when reused.
func swapFile(data []byte, ext string, entries, added []file) (name string, f *file) {
	crc := crc32.ChecksumIEEE(data)
	all := append(slices.Clip(entries), added...)
	for _, e := range all {
		if e.hasCRC && e.crc == crc && bytes.Equal(e.data, data) {
			return e.name, nil
		}
	}
	base := fmt.Sprintf("%s%08x", swapName, crc)
	name = base + ext
	for n := 2; slices.ContainsFunc(all, func(e file) bool { return e.name == name }); n++ {
		name = base + "_" + strconv.Itoa(n) + ext
	}
	return name, &file{name: name, data: data, crc: crc, hasCRC: true}
}

// swapBaseColor points the surface's base colour (and opacity, for BLEND
// and MASK) at the image file, scaled by the base colour factor unless
// sw.FactorWhite. The factor is the old texture's scale, or for a material
// without a texture its colour and opacity values.
func (s *surface) swapBaseColor(sw Swap, file string) error {
	colour := s.input("color3f inputs:" + s.baseColorInput())
	if colour == nil {
		return fmt.Errorf("no %s input", s.baseColorInput())
	}
	opacity := s.input("float inputs:opacity")
	factor := []float64{1, 1, 1, 1}
	t := s.slot("BaseColor")
	switch {
	case t != nil:
		if t.scale != nil {
			factor = slices.Clone(t.scale)
		}
	default:
		rgb, err := floats(colour.value, '(', ')')
		if err != nil || len(rgb) != 3 {
			return fmt.Errorf("base colour %q: %v", colour.value, err)
		}
		copy(factor, rgb)
		if opacity != nil && opacity.connect == "" {
			if factor[3], err = strconv.ParseFloat(opacity.value, 64); err != nil {
				return fmt.Errorf("opacity %q: %w", opacity.value, err)
			}
		}
		// Convert writes the base colour texture first.
		t = &slot{name: "BaseColor", wrapS: "repeat", wrapT: "repeat"}
		s.slots = slices.Insert(s.slots, 0, t)
	}
	if sw.FactorWhite {
		factor = []float64{1, 1, 1, 1}
	}
	t.file, t.uvSet, t.srgb, t.scale, t.bias, t.outputs = file, sw.TexCoord, true, factor, nil, nil
	colour.connect = s.path + "/BaseColorTexture.outputs:rgb"
	t.output("rgb")
	if opacity != nil {
		opacity.connect = s.path + "/BaseColorTexture.outputs:a"
		t.output("a")
	}
	return nil
}

// input returns the surface input declared decl, nil when there is none.
func (s *surface) input(decl string) *input {
	for i := range s.inputs {
		if s.inputs[i].decl == decl {
			return &s.inputs[i]
		}
	}
	return nil
}

// slot returns the texture slot called name, nil when there is none.
func (s *surface) slot(name string) *slot {
	for _, t := range s.slots {
		if t.name == name {
			return t
		}
	}
	return nil
}

// readEntries reads a package's entries in order, their data slices of pkg
// (nothing is copied), and checks they are stored and that the first is
// the root layer.
func readEntries(pkg []byte) ([]file, error) {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRetexturable, err)
	}
	if len(zr.File) == 0 || zr.File[0].Name != rootLayer {
		return nil, fmt.Errorf("%w: the first entry is not %s", ErrNotRetexturable, rootLayer)
	}
	out := make([]file, 0, len(zr.File))
	for _, f := range zr.File {
		off, err := f.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotRetexturable, f.Name, err)
		}
		size := f.CompressedSize64
		if f.Method != zip.Store || size != f.UncompressedSize64 || off < 0 || uint64(off)+size > uint64(len(pkg)) {
			return nil, fmt.Errorf("%w: %s is not stored whole in the package", ErrNotRetexturable, f.Name)
		}
		// The CRC is the one the package says: Retexture takes its input
		// from the converter's cache, and reusing it saves reading
		// megabytes of geometry again.
		out = append(out, file{name: f.Name, data: pkg[off : uint64(off)+size], crc: f.CRC32, hasCRC: true})
	}
	return out, nil
}
