package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/ui"
)

// A design's page: its versions, a preview per print zone, the files of its
// latest renders and its render history, which the design-renders island
// (web/src/design-renders.ts) keeps up to date from the page's event
// stream while a render is queued or processing. The page itself shows the
// state at the time it was loaded, so it is complete without JavaScript.

// designPage is the data of a design's page.
type designPage struct {
	chrome
	Design designView
}

// designView is the design page's own section.
type designView struct {
	Design   design.Design
	Product  string
	Versions []versionRow
	Zones    []zonePreview
	Renders  []renderRow
	Files    []fileRow
	// Live says a render is queued or processing: the island then follows
	// EventsURL.
	Live      bool
	EventsURL string
	// ZoneNames is the JSON object of zone IDs to names, for the island.
	ZoneNames string
	CanWrite  bool
	// PreviewURL is the permanent preview link (for those who may manage
	// it, when one exists).
	PreviewURL string
	// Views are the 3D views of the newest completed model render.
	Views []fileRow
	// ARURL is the public AR page (for those who may manage it, when one
	// exists); ARCounts its visits and AR launches by platform.
	ARURL    string
	ARCounts ar.Counts
	// HQ says high-quality renders can be asked for (Blender is here).
	HQ bool
}

// versionRow is one version in the versions table.
type versionRow struct {
	design.Version
	Short       string
	CreatorName string
}

// zonePreview is one print zone with its newest preview.
type zonePreview struct {
	catalog.Zone
	// URL is the preview image; empty until a compose render completed.
	URL string
}

// renderRow is one render in the history table.
type renderRow struct {
	render.Render
	Reused int
}

// fileRow is one file of the latest renders.
type fileRow struct {
	render.File
	Version  int
	Label    string
	Where    string
	HumanLen string
}

// roleLabels name file roles for people (the island has the same table).
var roleLabels = map[string]string{render.RoleTexture: "Design texture", render.RolePreview: "Preview",
	render.RolePrintPNG: "Print PNG", render.RolePrintPDF: "Print PDF", render.RoleGLB: "3D model (GLB)",
	render.RoleUSDZ: "AR model (USDZ)", render.RoleView: "3D view", render.RoleHQView: "High-quality view"}

// stamp writes a time the way the page (and the island) show it.
func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// Created, Started and Finished are the render's times as shown.
func (r renderRow) Created() string  { return stamp(&r.CreatedAt) }
func (r renderRow) Started() string  { return stamp(r.StartedAt) }
func (r renderRow) Finished() string { return stamp(r.FinishedAt) }

// Created is when the version was saved, as shown.
func (v versionRow) Created() string { return stamp(&v.CreatedAt) }

// Locked is when an order locked the version, as shown; "" when none did.
func (v versionRow) Locked() string { return stamp(v.LockedAt) }

func (s *Dashboard) designPage(w http.ResponseWriter, r *http.Request, me Me) error {
	ctx := r.Context()
	a := design.StaffActor(me.p)
	got, err := s.Designs.Get(ctx, a, r.PathValue("id"), 0)
	if err != nil {
		return err
	}
	d := got.Design
	v := &designPage{chrome: chrome{Me: me, Nav: "designs"}}
	dv := &v.Design
	dv.Design, dv.CanWrite = d, me.p.Can(brand.ProductsWrite)
	dv.HQ = dv.CanWrite && s.Renders.HQAvailable()
	dv.EventsURL = designPath(d.ID) + "/renders/events"
	dv.Product = s.productName(ctx, me.p, map[string]string{}, d.ProductID)
	versions, err := s.Designs.Versions(ctx, a, d.ID)
	if err != nil {
		return err
	}
	for _, ver := range versions {
		dv.Versions = append(dv.Versions, versionRow{Version: ver, Short: ver.SHA256[:min(12, len(ver.SHA256))],
			CreatorName: creatorLabel(ver.Creator.Kind)})
	}
	zones, err := s.Catalog.ListZones(ctx, me.p, d.ProductID)
	if err != nil {
		return err
	}
	rs, err := s.Renders.List(ctx, me.p.BrandID, d.ID)
	if err != nil {
		return err
	}
	s.fillRenders(dv, zones, rs)
	if dv.CanWrite && d.HasPreview {
		token, err := s.Designs.PreviewToken(ctx, a, d.ID)
		if err != nil {
			return err
		}
		dv.PreviewURL = s.Kit.BaseURL + "/p/" + token
	}
	if dv.CanWrite && d.HasARPage {
		token, err := s.Designs.ARToken(ctx, a, d.ID)
		if err != nil {
			return err
		}
		dv.ARURL = s.Kit.BaseURL + "/ar/d/" + token
	}
	if s.AR != nil {
		if dv.ARCounts, err = s.AR.DesignViewCounts(ctx, me.p.BrandID, d.ID); err != nil {
			return err
		}
	}
	name := d.Name
	if name == "" {
		name = "Untitled design"
	}
	s.renderPage(w, r, http.StatusOK, "design", name, v)
	return nil
}

// fillRenders fills the zone previews, the latest files and the history
// from the design's renders (newest first).
func (s *Dashboard) fillRenders(dv *designView, zones []catalog.Zone, rs []render.Render) {
	names := map[string]string{}
	for _, z := range zones {
		names[z.ID] = z.Name
	}
	if b, err := json.Marshal(names); err == nil {
		dv.ZoneNames = string(b)
	}
	previews := map[string]string{}
	latest := map[render.Kind]bool{}
	for _, r := range rs {
		row := renderRow{Render: r}
		for _, f := range r.Files {
			if f.Reused {
				row.Reused++
			}
		}
		dv.Renders = append(dv.Renders, row)
		if !r.Status.Done() {
			dv.Live = true
		}
		if r.Status != render.Completed || latest[r.Kind] {
			continue
		}
		// The newest completed render of each kind has the current files.
		latest[r.Kind] = true
		for _, f := range r.Files {
			f.URL = ui.BlobSrc(s.LocalBlobs, f.URL)
			if f.Role == render.RolePreview && previews[f.ZoneID] == "" {
				previews[f.ZoneID] = f.URL
			}
			where := f.Material
			if f.ZoneID != "" {
				where = names[f.ZoneID]
			}
			if f.View != "" {
				where = f.View
			}
			row := fileRow{File: f, Version: r.Version, Label: roleLabels[f.Role], Where: where, HumanLen: humanSize(f.Size)}
			dv.Files = append(dv.Files, row)
			if f.Role == render.RoleView || f.Role == render.RoleHQView {
				dv.Views = append(dv.Views, row)
			}
		}
	}
	for _, z := range zones {
		if z.Type == catalog.PrintZone {
			dv.Zones = append(dv.Zones, zonePreview{Zone: z, URL: previews[z.ID]})
		}
	}
}

// Size writes the zone's printed size and resolution.
func (z zonePreview) Size() string {
	if z.WidthMM == nil || z.HeightMM == nil || z.DPI == nil {
		return ""
	}
	mm := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return fmt.Sprintf("%s × %s mm at %d DPI", mm(*z.WidthMM), mm(*z.HeightMM), *z.DPI)
}

// Dimensions writes a file's pixel size ("" for files without one).
func (f fileRow) Dimensions() string {
	if f.Width == 0 || f.Height == 0 {
		return ""
	}
	return fmt.Sprintf("%d × %d px", f.Width, f.Height)
}
