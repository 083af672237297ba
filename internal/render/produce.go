package render

import (
	"context"
	"io"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/internal/catalog"
)

// The produce render: every print zone's print file at the zone's DPI with
// its bleed, as PNG (drawn in bands, so a zone larger than the memory budget
// is never held whole) and as a vector PDF (text stays text).

// bandBytes is the most pixel memory one band of a print PNG holds.
const bandBytes = 64 << 20

func (s *Service) produce(ctx context.Context, j *job) ([]File, error) {
	zones := printZones(j.src)
	if err := s.loadMasks(ctx, j, zones); err != nil {
		return nil, err
	}
	files := []File{}
	for i, z := range zones {
		png, pdf, err := s.printFiles(ctx, j, z)
		if err != nil {
			return nil, err
		}
		files = append(files, png, pdf)
		if err := s.store.progress(ctx, j.RenderID, (i+1)*100/len(zones)); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// printFiles makes the PNG and the PDF of one zone.
func (s *Service) printFiles(ctx context.Context, j *job, z catalog.Zone) (File, File, error) {
	f := printFrame(z)
	in := j.zoneInput(z)
	base := File{ZoneID: z.ID, DPI: f.DPI}
	sc, err := s.scene(ctx, j, z, f)
	if err != nil {
		return File{}, File{}, err
	}
	opts := compose.Options{Fonts: j.fonts.set, Sources: j.sources}
	pngIn, err := inputHash(struct {
		Role string    `json:"role"`
		Zone zoneInput `json:"zone"`
	}{RolePrintPNG, in})
	if err != nil {
		return File{}, File{}, err
	}
	base.Role = RolePrintPNG
	png, err := s.file(ctx, j.BrandID, pngIn, "png", "image/png", base, func(ctx context.Context, w io.Writer) (int, int, error) {
		band := max(1, bandBytes/(4*f.W))
		release, err := s.reserve(ctx, int64(band)*int64(f.W)*4)
		if err != nil {
			return 0, 0, err
		}
		defer release()
		return f.W, f.H, compose.WritePNGBands(ctx, w, sc, opts, band)
	})
	if err != nil {
		return File{}, File{}, err
	}
	pdfIn, err := inputHash(struct {
		Role string    `json:"role"`
		Zone zoneInput `json:"zone"`
	}{RolePrintPDF, in})
	if err != nil {
		return File{}, File{}, err
	}
	base.Role = RolePrintPDF
	pdf, err := s.file(ctx, j.BrandID, pdfIn, "pdf", "application/pdf", base, func(ctx context.Context, w io.Writer) (int, int, error) {
		return f.W, f.H, compose.WritePDF(ctx, w, sc, opts)
	})
	return png, pdf, err
}
