package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Renders of designs: their status and files, a re-run, and a live feed.
// Each handler first reads the design through the design service, which
// checks the caller may read it (another brand's design is not found).

// renderTarget reads the design version a request names (the latest
// unless ?version=N) and returns it as a render target.
func (s *API) renderTarget(r *http.Request, p auth.Principal, version int) (render.Target, error) {
	got, err := s.Designs.Get(r.Context(), design.StaffActor(p), r.PathValue("id"), version)
	if err != nil {
		return render.Target{}, err
	}
	return render.TargetOf(got.Version.Ref(p.BrandID, got.Design)), nil
}

func (s *API) listRenders(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := s.renderTarget(r, p, 0)
	if err != nil {
		return err
	}
	rs, err := s.Renders.List(r.Context(), t.BrandID, t.DesignID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"renders": rs})
	return nil
}

// rerunBody is the body of POST /api/designs/{id}/render.
type rerunBody struct {
	// Version picks the version to render (0: the latest).
	Version int `json:"version"`
	// Produce also makes the print files.
	Produce bool `json:"produce"`
	// HQ asks for a high-quality render (Blender Cycles) instead: 422
	// when Blender is not installed.
	HQ bool `json:"hq"`
}

func (s *API) rerunRender(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in rerunBody
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(r, &in); err != nil {
			return err
		}
	}
	if err := p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	t, err := s.renderTarget(r, p, in.Version)
	if err != nil {
		return err
	}
	var rs []render.Render
	if in.HQ {
		rs, err = s.Renders.RenderHQ(r.Context(), t)
	} else {
		rs, err = s.Renders.Rerun(r.Context(), t, in.Produce)
	}
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"renders": rs})
	return nil
}

// streamFor bounds one event stream; browsers reconnect by themselves
// (EventSource), well inside the server's write timeout.
const streamFor = 4 * time.Minute

func (s *API) streamRenders(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := s.renderTarget(r, p, 0)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ctx, cancel := context.WithTimeout(r.Context(), streamFor)
	defer cancel()
	err = s.Renders.Watch(ctx, t.BrandID, t.DesignID, func(rs []render.Render) error {
		b, err := json.Marshal(map[string]any{"renders": rs})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: renders\ndata: %s\n\n", b); err != nil {
			return err
		}
		return rc.Flush()
	})
	if err != nil && ctx.Err() == nil {
		s.Kit.Logger.WarnContext(r.Context(), "render stream ended", "error", err)
	}
	return nil
}
