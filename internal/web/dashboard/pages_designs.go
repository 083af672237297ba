package dashboard

import (
	"context"
	"net/http"
	"net/url"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/ui"
)

// The design pages of the dashboard: the brand's designs with their
// preview thumbnails (here), one design's page with its versions, zone
// previews, files and render history (pages_designs_detail.go), its
// actions (pages_designs_actions.go) and the live feed of its renders
// (pages_designs_events.go). Everything goes through the design and render
// services, as the JSON API does: the design service checks permissions and
// keeps every query inside the session's brand, and renders are read only
// for a design it returned.

// designsPage is the data of the designs list.
type designsPage struct {
	chrome
	Designs designsView
}

// designsView is the designs list's own section.
type designsView struct {
	// Product is the product filter ("" for every product), Products the
	// choices of the filter.
	Product  string
	Products []catalog.Product
	Rows     []designRow
	// Next links the following page (empty on the last one), First the
	// first page (empty on the first one).
	Next, First string
}

// designRow is a design as the list shows it.
type designRow struct {
	design.Design
	ProductName string
	Thumb       thumb
}

// thumb is a design's preview as lists show it: the image of its newest
// completed compose render, or what is happening instead.
type thumb struct {
	// URL is the preview image; empty shows a placeholder.
	URL string
	// Status is the newest compose render's status ("" when it never
	// rendered); shown beside an image that is being replaced, or as the
	// placeholder's text.
	Status render.Status
}

// Placeholder is the text of a thumbnail without an image.
func (t thumb) Placeholder() string {
	switch t.Status {
	case render.Queued:
		return "Preview queued"
	case render.Processing:
		return "Rendering…"
	case render.Failed:
		return "Preview failed"
	}
	return "No preview"
}

// Updating says a newer preview than the one shown is on its way.
func (t thumb) Updating() bool {
	return t.URL != "" && (t.Status == render.Queued || t.Status == render.Processing)
}

// creatorLabels name creator kinds for people.
var creatorLabels = map[string]string{design.CreatorStaff: "team member", design.CreatorAPIKey: "API key",
	design.CreatorShopper: "shopper"}

// CreatorLabel names who made the design ("team member", "API key", …).
func (r designRow) CreatorLabel() string { return creatorLabel(r.Creator.Kind) }

func creatorLabel(kind string) string {
	if l, ok := creatorLabels[kind]; ok {
		return l
	}
	return kind
}

// designFilterProducts is how many products the filter offers: the newest;
// a product's own page links its designs whatever its age.
const designFilterProducts = catalog.MaxPageSize

func (s *Dashboard) designsPage(w http.ResponseWriter, r *http.Request, me Me) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := &designsPage{chrome: chrome{Me: me, Nav: "designs"}}
	dv := &v.Designs
	dv.Product = q.Get("product")
	cursor := q.Get("cursor")
	a := design.StaffActor(me.p)
	var page design.Page
	var err error
	if dv.Product != "" {
		page, err = s.Designs.List(ctx, a, dv.Product, cursor, 0)
	} else {
		page, err = s.Designs.ListAll(ctx, a, cursor, 0)
	}
	if err != nil {
		return err
	}
	products, err := s.Catalog.ListProducts(ctx, me.p, catalog.ListOptions{Limit: designFilterProducts})
	if err != nil {
		return err
	}
	dv.Products = products.Products
	names := map[string]string{}
	for _, pr := range dv.Products {
		names[pr.ID] = pr.Name
	}
	if _, listed := names[dv.Product]; dv.Product != "" && !listed {
		// An older product, linked from its page: the filter still shows it.
		if pr, err := s.Catalog.GetProduct(ctx, me.p, dv.Product); err == nil {
			dv.Products, names[pr.ID] = append(dv.Products, pr), pr.Name
		}
	}
	for _, d := range page.Designs {
		row := designRow{Design: d, ProductName: s.productName(ctx, me.p, names, d.ProductID)}
		rs, err := s.Renders.List(ctx, me.p.BrandID, d.ID)
		if err != nil {
			return err
		}
		row.Thumb = thumbOf(rs, s.LocalBlobs)
		dv.Rows = append(dv.Rows, row)
	}
	link := func(cursor string) string {
		vals := url.Values{}
		for k, val := range map[string]string{"product": dv.Product, "cursor": cursor} {
			if val != "" {
				vals.Set(k, val)
			}
		}
		if len(vals) == 0 {
			return "/app/designs"
		}
		return "/app/designs?" + vals.Encode()
	}
	if page.NextCursor != "" {
		dv.Next = link(page.NextCursor)
	}
	if cursor != "" {
		dv.First = link("")
	}
	s.renderPage(w, r, http.StatusOK, "designs", "Designs", v)
	return nil
}

// productName names a design's product, from names (the filter's
// products) or by reading it once; a product deleted since shows as such.
func (s *Dashboard) productName(ctx context.Context, p auth.Principal, names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	n := "(deleted product)"
	if pr, err := s.Catalog.GetProduct(ctx, p, id); err == nil {
		n = pr.Name
	}
	names[id] = n
	return n
}

// thumbOf picks a design's thumbnail from its renders (newest first): the
// first zone preview of the newest completed compose render.
func thumbOf(rs []render.Render, local bool) thumb {
	var t thumb
	seen := false
	for _, r := range rs {
		if r.Kind != render.Compose {
			continue
		}
		if !seen {
			t.Status, seen = r.Status, true
		}
		if r.Status != render.Completed {
			continue
		}
		for _, f := range r.Files {
			if f.Role == render.RolePreview {
				t.URL = ui.BlobSrc(local, f.URL)
				return t
			}
		}
	}
	return t
}

// designPath is the URL of a design's page.
func designPath(id string) string { return "/app/designs/" + url.PathEscape(id) }
