package order

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/render"
)

// The production ZIP: every produced line's print PNG and PDF of every
// zone, named by the brand's pattern, and summary.json and summary.csv
// listing them. It is streamed: each print file is copied from the blob
// store into the ZIP writer, which writes into the blob store's Put through
// a pipe, so no file is ever held whole in memory; Config.MaxZip bounds the
// total.

// Summary is summary.json.
type Summary struct {
	Order SummaryOrder  `json:"order"`
	Lines []SummaryLine `json:"lines"`
	Files []SummaryFile `json:"files"`
}

// SummaryOrder identifies the order in a summary.
type SummaryOrder struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	ExternalID string    `json:"external_id"`
	Source     string    `json:"source"`
	Store      string    `json:"store,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// SummaryLine is one order line in a summary.
type SummaryLine struct {
	Line      int    `json:"line"`
	ProductID string `json:"product_id,omitempty"`
	Product   string `json:"product,omitempty"`
	VariantID string `json:"variant_id,omitempty"`
	Variant   string `json:"variant,omitempty"`
	SKU       string `json:"sku,omitempty"`
	Quantity  int    `json:"quantity"`
	DesignID  string `json:"design_id,omitempty"`
	Version   int    `json:"version,omitempty"`
	Flag      string `json:"flag,omitempty"`
	// PriceIssue is the fee check's finding (fee.go), for whoever fulfils.
	PriceIssue string `json:"price_issue,omitempty"`
}

// SummaryFile is one print file in a summary.
type SummaryFile struct {
	Name     string  `json:"name"`
	Line     int     `json:"line"`
	ZoneID   string  `json:"zone_id"`
	Zone     string  `json:"zone"`
	Format   string  `json:"format"` // png or pdf
	DPI      float64 `json:"dpi"`
	WidthPX  int     `json:"width_px,omitempty"`
	HeightPX int     `json:"height_px,omitempty"`
	Size     int64   `json:"size"`
	SHA256   string  `json:"sha256"`
}

// zipResult is what writeZip stored.
type zipResult struct {
	key    string
	size   int64
	sha256 string
	files  int
}

// ZipKey is where an order's ZIP is stored; a new production replaces it.
func ZipKey(brandID, orderID string) string {
	return "brands/" + brandID + "/orders/" + orderID + "/production.zip"
}

// blobURLOptions names the downloaded file after the order.
func blobURLOptions(o Order) blob.URLOptions {
	return blob.URLOptions{Filename: sanitize("order-"+o.Name) + ".zip", ContentType: "application/zip"}
}

// productInfo is what names and summaries need of a product.
type productInfo struct {
	name, sku string
	variants  map[string]catalog.Variant
	zones     map[string]string // zone ID → name
}

// products reads the products of the lines; a deleted product leaves its
// names empty (the design outlived it).
func (s *Service) products(ctx context.Context, brandID string, lines []Line) (map[string]productInfo, error) {
	out := map[string]productInfo{}
	for _, l := range lines {
		if l.ProductID == "" {
			continue
		}
		if _, ok := out[l.ProductID]; ok {
			continue
		}
		info := productInfo{variants: map[string]catalog.Variant{}, zones: map[string]string{}}
		p, zones, err := s.catalog.ProductZones(ctx, brandID, l.ProductID)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
		case err != nil:
			return nil, err
		default:
			info.name, info.sku = p.Name, p.SKU
			for _, v := range p.Variants {
				info.variants[v.ID] = v
			}
			for _, z := range zones {
				info.zones[z.ID] = z.Name
			}
		}
		out[l.ProductID] = info
	}
	return out, nil
}

// lineSKU is the SKU a line's files are named with: the store's, else the
// variant's, else the product's.
func lineSKU(l Line, p productInfo) string {
	switch {
	case l.SKU != "":
		return l.SKU
	case p.variants[l.VariantID].SKU != "":
		return p.variants[l.VariantID].SKU
	}
	return p.sku
}

// writeZip streams an order's ZIP to the blob store.
func (s *Service) writeZip(ctx context.Context, o Order, files []printFile) (zipResult, error) {
	var total int64
	for _, f := range files {
		total += f.file.Size
	}
	if total > s.cfg.MaxZip {
		return zipResult{}, apperr.New(apperr.TooLarge, "the print files total %d bytes, more than the ZIP limit of %d bytes", total, s.cfg.MaxZip)
	}
	st, err := settingsOf(ctx, s.db, o.brandID)
	if err != nil {
		return zipResult{}, err
	}
	prods, err := s.products(ctx, o.brandID, o.Lines)
	if err != nil {
		return zipResult{}, err
	}
	key := ZipKey(o.brandID, o.ID)
	pr, pw := io.Pipe()
	built := make(chan int, 1)
	go func() {
		n, err := s.buildZip(ctx, pw, o, st.FilePattern, prods, files)
		built <- n
		_ = pw.CloseWithError(err)
	}()
	sum := sha256.New()
	info, err := s.blobs.Put(ctx, key, io.TeeReader(pr, sum), blob.PutOptions{ContentType: "application/zip", MaxSize: s.cfg.MaxZip})
	_ = pr.CloseWithError(io.ErrClosedPipe) // unblocks the writer if Put stopped early
	n := <-built
	if err != nil {
		return zipResult{}, fmt.Errorf("store production ZIP: %w", err)
	}
	return zipResult{key: key, size: info.Size, sha256: hex.EncodeToString(sum.Sum(nil)), files: n}, nil
}

// buildZip writes the ZIP into w and returns how many print files it holds.
func (s *Service) buildZip(ctx context.Context, w io.Writer, o Order, pattern string, prods map[string]productInfo, files []printFile) (int, error) {
	zw := zip.NewWriter(w)
	taken := names{"summary.json": true, "summary.csv": true}
	sum := Summary{Order: SummaryOrder{ID: o.ID, Name: o.Name, ExternalID: o.ExternalID, Source: o.Source, Store: o.Store, CreatedAt: o.CreatedAt},
		Lines: []SummaryLine{}, Files: []SummaryFile{}}
	for _, l := range o.Lines {
		p := prods[l.ProductID]
		sum.Lines = append(sum.Lines, SummaryLine{Line: l.No, ProductID: l.ProductID, Product: p.name, VariantID: l.VariantID,
			Variant: p.variants[l.VariantID].Name, SKU: lineSKU(l, p), Quantity: l.Quantity, DesignID: l.DesignID, Version: l.Version, Flag: l.Flag,
			PriceIssue: l.PriceIssue})
	}
	for _, pf := range files {
		l, f, p := pf.line, pf.file, prods[pf.line.ProductID]
		format, ext, method := "png", ".png", zip.Store // PNG is compressed already
		if f.Role == render.RolePrintPDF {
			format, ext, method = "pdf", ".pdf", zip.Deflate
		}
		zone := p.zones[f.ZoneID]
		if zone == "" {
			zone = f.ZoneID
		}
		name := taken.unique(expand(pattern, fileVars{"order": o.Name, "line": strconv.Itoa(l.No), "sku": lineSKU(l, p),
			"zone": zone, "qty": strconv.Itoa(l.Quantity), "design": l.DesignID, "version": strconv.Itoa(l.Version),
			"product": p.name, "variant": p.variants[l.VariantID].Name}), ext)
		h, size, err := s.copyBlob(ctx, zw, name, method, o.CreatedAt, f.Key)
		if err != nil {
			return 0, err
		}
		sum.Files = append(sum.Files, SummaryFile{Name: name, Line: l.No, ZoneID: f.ZoneID, Zone: zone, Format: format, DPI: f.DPI,
			WidthPX: f.Width, HeightPX: f.Height, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	js, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return 0, err
	}
	if err := writeEntry(zw, "summary.json", o.CreatedAt, js); err != nil {
		return 0, err
	}
	if err := writeEntry(zw, "summary.csv", o.CreatedAt, summaryCSV(sum)); err != nil {
		return 0, err
	}
	return len(files), zw.Close()
}

// copyBlob streams one blob into a new ZIP entry, hashing it on the way.
func (s *Service) copyBlob(ctx context.Context, zw *zip.Writer, name string, method uint16, at time.Time, key string) (hash.Hash, int64, error) {
	rc, _, err := s.blobs.Get(ctx, key, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("open print file %s: %w", key, err)
	}
	defer rc.Close()
	ew, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: at})
	if err != nil {
		return nil, 0, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(ew, h), rc)
	if err != nil {
		return nil, 0, fmt.Errorf("copy print file %s: %w", key, err)
	}
	return h, n, nil
}

func writeEntry(zw *zip.Writer, name string, at time.Time, data []byte) error {
	ew, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return err
	}
	_, err = ew.Write(data)
	return err
}

// summaryCSV is summary.csv: one row per file, and one per refused line
// (no file, its flag said).
func summaryCSV(sum Summary) []byte {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"order", "line", "product", "variant", "sku", "quantity", "design", "version", "zone", "dpi", "file", "sha256", "flag"})
	lines := map[int]SummaryLine{}
	for _, l := range sum.Lines {
		lines[l.Line] = l
	}
	row := func(l SummaryLine, zone, dpi, file, sha string) {
		rec := []string{sum.Order.Name, strconv.Itoa(l.Line), l.Product, l.Variant, l.SKU, strconv.Itoa(l.Quantity),
			l.DesignID, strconv.Itoa(l.Version), zone, dpi, file, sha, l.Flag}
		for i := range rec {
			rec[i] = cell(rec[i])
		}
		_ = w.Write(rec)
	}
	for _, f := range sum.Files {
		row(lines[f.Line], f.Zone, strconv.FormatFloat(f.DPI, 'f', -1, 64), f.Name, f.SHA256)
	}
	for _, l := range sum.Lines {
		if l.Flag != "" {
			row(l, "", "", "", "")
		}
	}
	w.Flush()
	return []byte(b.String())
}

// cell keeps a spreadsheet from reading a value as a formula (a SKU or
// name from a store could start with =).
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
