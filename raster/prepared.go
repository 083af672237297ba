package raster

import "fmt"

// Prepare builds the mipmaps of a base-colour image once, for several
// renders of this model: a design's three views share one pyramid instead
// of building it per Render. The returned Texture is used in
// Options.BaseColor like any other; its image is not read again.
func (m *Model) Prepare(t Texture) (Texture, error) {
	if t.Image == nil {
		return Texture{}, fmt.Errorf("prepare a base colour: no image")
	}
	b := t.Image.Bounds()
	if err := checkPixels(b.Dx(), b.Dy()); err != nil {
		return Texture{}, fmt.Errorf("prepare a base colour: %w", err)
	}
	t.mip = newMipmap(t.Image, true, m.maxTex, m.tables)
	t.owner = m
	return t, nil
}
