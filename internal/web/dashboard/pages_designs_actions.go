package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/ui"
)

// The design page's forms (render again, make print files, preview link,
// delete: products:write, checked here and again by the services) and its
// live feed of renders.

// renderTarget reads the latest version of the design of the route, which
// the design service returns only to those who may read it, as a render
// target.
func (s *Dashboard) renderTarget(ctx context.Context, me Me, id string) (render.Target, design.Design, error) {
	got, err := s.Designs.Get(ctx, design.StaffActor(me.p), id, 0)
	if err != nil {
		return render.Target{}, design.Design{}, err
	}
	return render.TargetOf(got.Version.Ref(me.p.BrandID, got.Design)), got.Design, nil
}

// rerunSubmit renders the latest version again; produce=1 ("Make print
// files") adds the print files.
func (s *Dashboard) rerunSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	t, _, err := s.renderTarget(r.Context(), me, r.PathValue("id"))
	if err != nil {
		return err
	}
	if r.PostFormValue("hq") == "1" {
		if _, err := s.Renders.RenderHQ(r.Context(), t); err != nil {
			return err
		}
		s.flash.Redirect(w, r, designPath(t.DesignID)+"#renders", fmt.Sprintf("Version %d is queued for a high-quality render.", t.Version))
		return nil
	}
	produce := r.PostFormValue("produce") == "1"
	if _, err := s.Renders.Rerun(r.Context(), t, produce); err != nil {
		return err
	}
	msg := fmt.Sprintf("Version %d is queued for rendering.", t.Version)
	if produce {
		msg = fmt.Sprintf("Version %d is queued for rendering with its print files.", t.Version)
	}
	s.flash.Redirect(w, r, designPath(t.DesignID)+"#renders", msg)
	return nil
}

// deleteDesignSubmit hides the design, once the form's box confirms it.
func (s *Dashboard) deleteDesignSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	a := design.StaffActor(me.p)
	got, err := s.Designs.Get(r.Context(), a, r.PathValue("id"), 0)
	if err != nil {
		return err
	}
	d := got.Design
	if r.PostFormValue("confirm") != "yes" {
		s.flash.Redirect(w, r, designPath(d.ID)+"#delete", "Tick the box to confirm the deletion: nothing was deleted.")
		return nil
	}
	if err := s.Designs.Delete(r.Context(), a, d.ID); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/designs", fmt.Sprintf("The design %q is deleted; its preview link no longer works.", d.Name))
	return nil
}

// previewSubmit creates the design's permanent preview link (or shows the
// one it has).
func (s *Dashboard) previewSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	if _, err := s.Designs.PreviewToken(r.Context(), design.StaffActor(me.p), id); err != nil {
		return err
	}
	s.flash.Redirect(w, r, designPath(id)+"#preview", "The preview link is ready: anyone who has it can see the design's preview.")
	return nil
}

// revokePreviewSubmit ends the design's preview link.
func (s *Dashboard) revokePreviewSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	if err := s.Designs.RevokePreview(r.Context(), design.StaffActor(me.p), id); err != nil {
		return err
	}
	s.flash.Redirect(w, r, designPath(id)+"#preview", "The preview link is revoked: it no longer works. A new one can be made.")
	return nil
}

// arPageSubmit creates the design's public AR page (or shows the one it
// has).
func (s *Dashboard) arPageSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	if _, err := s.Designs.ARToken(r.Context(), design.StaffActor(me.p), id); err != nil {
		return err
	}
	s.flash.Redirect(w, r, designPath(id)+"#ar", "The AR page is ready: anyone who has its link can see the design in 3D and AR.")
	return nil
}

// revokeARPageSubmit ends the design's public AR page.
func (s *Dashboard) revokeARPageSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	if err := s.Designs.RevokeAR(r.Context(), design.StaffActor(me.p), id); err != nil {
		return err
	}
	s.flash.Redirect(w, r, designPath(id)+"#ar", "The AR page is revoked: its link no longer works. A new one can be made.")
	return nil
}

// streamFor bounds one event stream; EventSource reconnects by itself,
// well inside the server's write timeout, and each reconnection checks the
// session again.
const streamFor = 4 * time.Minute

// renderEvents streams the design's renders as server-sent events, in the
// format of GET /api/designs/{id}/renders/events ("event: renders", data
// {"renders": […]}), now and after every change. File URLs are made
// relative for the local blob store, so the page's images stay same-origin
// under its CSP.
func (s *Dashboard) renderEvents(w http.ResponseWriter, r *http.Request, me Me) error {
	t, _, err := s.renderTarget(r.Context(), me, r.PathValue("id"))
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ctx, cancel := context.WithTimeout(r.Context(), streamFor)
	defer cancel()
	err = s.Renders.Watch(ctx, t.BrandID, t.DesignID, func(rs []render.Render) error {
		for i := range rs {
			for j := range rs[i].Files {
				rs[i].Files[j].URL = ui.BlobSrc(s.LocalBlobs, rs[i].Files[j].URL)
			}
		}
		b, err := json.Marshal(map[string]any{"renders": rs})
		if err != nil {
			return fmt.Errorf("encode renders: %w", err)
		}
		if _, err := fmt.Fprintf(w, "event: renders\ndata: %s\n\n", b); err != nil {
			return err
		}
		return rc.Flush()
	})
	if err != nil && ctx.Err() == nil {
		s.Kit.Logger.WarnContext(r.Context(), "dashboard render stream ended", "design", t.DesignID, "error", err)
	}
	return nil
}
