package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"strings"
	"sync"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/compose/fonts"
	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/design"
)

// sources opens the images a render's scenes name: design assets (decoded
// with EXIF orientation and ICC conversion applied, like at upload) and
// zone masks. Each is decoded once per job: the texture and the preview of
// a zone draw the same images.
type sources struct {
	s       *Service
	brandID string
	masks   map[string][]byte // by zone ID, set by the job before drawing

	mu    sync.Mutex
	cache map[string]image.Image
}

var _ compose.Sources = (*sources)(nil)

func newSources(s *Service, brandID string) *sources {
	return &sources{s: s, brandID: brandID, masks: map[string][]byte{}, cache: map[string]image.Image{}}
}

// imageLimits bound what a render decodes of one source.
var imageLimits = intake.Limits{MaxBytes: 64 << 20, MaxSide: 16384, MaxPixels: compose.DefaultMaxSourcePixels}

// Open implements compose.Sources.
func (x *sources) Open(ctx context.Context, src string) (image.Image, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if m, ok := x.cache[src]; ok {
		return m, nil
	}
	data, err := x.read(ctx, src)
	if err != nil {
		return nil, err
	}
	m, _, err := intake.DecodeImage(ctx, data, imageLimits)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", src, err)
	}
	x.cache[src] = m
	return m, nil
}

func (x *sources) read(ctx context.Context, src string) ([]byte, error) {
	switch {
	case strings.HasPrefix(src, srcAsset):
		rc, _, err := x.s.designs.OpenAsset(ctx, x.brandID, strings.TrimPrefix(src, srcAsset))
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(io.LimitReader(rc, imageLimits.MaxBytes+1))
	case strings.HasPrefix(src, srcMask):
		if b, ok := x.masks[strings.TrimPrefix(src, srcMask)]; ok {
			return b, nil
		}
	}
	return nil, fmt.Errorf("render: unknown image source %q", src)
}

// size returns an asset's pixel size from its header (for crops).
func (x *sources) size(ctx context.Context, sha string) (int, int, error) {
	m, err := x.Open(ctx, srcAsset+sha)
	if err != nil {
		return 0, 0, err
	}
	return m.Bounds().Dx(), m.Bounds().Dy(), nil
}

// fontSet is the fonts a job draws with and what identifies them for the
// input hash (brand fonts by content: a family re-uploaded with other
// glyphs draws differently).
type fontSet struct {
	set  *fonts.Set
	shas []string
}

// fontsFor returns the process's bundled set when the design uses only
// bundled families, or a set with the brand's fonts the design names added.
func (s *Service) fontsFor(ctx context.Context, brandID string, doc design.Document) (*fontSet, error) {
	brand := s.brandFamilies(doc)
	if len(brand) == 0 {
		return &fontSet{set: s.bundled}, nil
	}
	fs := &fontSet{set: fonts.Bundled()}
	for _, family := range brand {
		rc, f, err := s.designs.OpenFont(ctx, brandID, family, "")
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, fonts.MaxFontFile+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read brand font %s: %w", family, err)
		}
		if _, err := fs.set.AddBytes(f.Filename, bytes.Clone(data)); err != nil {
			return nil, fmt.Errorf("brand font %s: %w", family, err)
		}
		fs.shas = append(fs.shas, f.SHA256)
	}
	return fs, nil
}

// brandFamilies lists, once each and in document order, the families the
// design's text layers name that the bundled set lacks: the brand's fonts.
func (s *Service) brandFamilies(doc design.Document) []string {
	var brand []string
	seen := map[string]bool{}
	for _, z := range doc.Zones {
		for _, l := range z.Layers {
			if l.Type != design.LayerText || seen[strings.ToLower(l.Text.Font)] {
				continue
			}
			seen[strings.ToLower(l.Text.Font)] = true
			if _, err := s.bundled.Lookup(l.Text.Font, false); err != nil {
				brand = append(brand, l.Text.Font)
			}
		}
	}
	return brand
}
