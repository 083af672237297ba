package render

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/platform/kv"
)

// The seed's AR flow, for a design version (GET /api/designs/{id}/ar):
//
//  1. its model render completed → signed URLs of its GLB, USDZ and
//     three-quarter view (1 hour);
//  2. else, its textures are made and the same textures were already
//     turned into 3D files (kv cache by the textures' hashes, also for
//     another design or version that looks the same) → those files;
//  3. else a render is on its way (compose or model) → pending, with it;
//  4. else one is enqueued → pending. A failed render fails the answer
//     with the render's message; asking again re-runs a failed model
//     render.

// ARFiles is the answer of the AR flow.
type ARFiles struct {
	// Status is ar.Ready, ar.Pending or ar.Failed, as for a product.
	Status  ar.State `json:"status"`
	Version int      `json:"version"`
	// Render is the render being waited for (pending), or the one that
	// failed.
	Render *ARRender `json:"render,omitempty"`
	// The signed URLs, when ready.
	GLBURL     string     `json:"glb_url,omitempty"`
	USDZURL    string     `json:"usdz_url,omitempty"`
	PreviewURL string     `json:"preview_url,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	Error      string     `json:"error,omitempty"`
	// Files are the ready files (the preview's key, for the public page).
	Files []File `json:"-"`
}

// ARRender is a render as the AR answer shows it: its job and status.
type ARRender struct {
	ID       string `json:"id"`
	Kind     Kind   `json:"kind"`
	Status   Status `json:"status"`
	Progress int    `json:"progress"`
	JobID    int64  `json:"job_id,omitempty"`
}

func arRender(r Render) *ARRender {
	return &ARRender{ID: r.ID, Kind: r.Kind, Status: r.Status, Progress: r.Progress, JobID: r.JobID}
}

// AR runs the AR flow for the design version t (the caller has checked it
// is the brand's and loaded its content hash).
func (s *Service) AR(ctx context.Context, t Target) (ARFiles, error) {
	rs, err := s.store.list(ctx, t.BrandID, t.DesignID)
	if err != nil {
		return ARFiles{}, err
	}
	model, compose := latestOf(rs, t.Version, Model), latestOf(rs, t.Version, Compose)
	if model != nil && model.Status == Completed {
		return s.arReady(ctx, t.Version, model.Files)
	}
	if compose != nil && compose.Status == Completed {
		if files, ok, err := s.cachedModelFiles(ctx, t, texturesOf(*compose)); err != nil {
			return ARFiles{}, err
		} else if ok {
			return s.arReady(ctx, t.Version, files)
		}
	}
	switch {
	case compose != nil && !compose.Status.Done():
		return ARFiles{Status: ar.Pending, Version: t.Version, Render: arRender(*compose)}, nil
	case compose != nil && compose.Status == Failed:
		return ARFiles{Status: ar.Failed, Version: t.Version, Render: arRender(*compose), Error: compose.Error}, nil
	case model != nil && !model.Status.Done():
		return ARFiles{Status: ar.Pending, Version: t.Version, Render: arRender(*model)}, nil
	}
	kind := Model
	if compose == nil {
		kind = Compose // purged or never made: the model render follows it
	}
	var queued Render
	if err := s.db.InTx(ctx, func(tx *sql.Tx) (err error) { queued, err = s.enqueue(ctx, tx, t, kind); return err }); err != nil {
		return ARFiles{}, err
	}
	s.store.hub.wake(t.DesignID)
	return ARFiles{Status: ar.Pending, Version: t.Version, Render: arRender(queued)}, nil
}

// latestOf returns the newest render of kind for version (rs is newest
// first), nil when there is none.
func latestOf(rs []Render, version int, kind Kind) *Render {
	for i := range rs {
		if rs[i].Version == version && rs[i].Kind == kind {
			return &rs[i]
		}
	}
	return nil
}

// arReady signs the GLB, USDZ and three-quarter view among files.
func (s *Service) arReady(ctx context.Context, version int, files []File) (ARFiles, error) {
	r := Render{Files: files}
	if err := s.sign(ctx, &r); err != nil {
		return ARFiles{}, err
	}
	out := ARFiles{Status: ar.Ready, Version: version, ExpiresAt: r.URLsExpireAt, Files: r.Files}
	for _, f := range r.Files {
		switch {
		case f.Role == RoleGLB:
			out.GLBURL = f.URL
		case f.Role == RoleUSDZ:
			out.USDZURL = f.URL
		case f.Role == RoleView && f.View == modelViews[0].name:
			out.PreviewURL = f.URL
		}
	}
	if out.GLBURL == "" || out.USDZURL == "" || out.PreviewURL == "" {
		return ARFiles{}, fmt.Errorf("AR files: a completed model render lacks a file")
	}
	return out, nil
}

// cachedModelFiles finds the 3D files already made from the same design
// textures, when their blobs are still there.
func (s *Service) cachedModelFiles(ctx context.Context, t Target, texs []File) ([]File, bool, error) {
	if s.cfg.Cache == nil || len(texs) == 0 {
		return nil, false, nil
	}
	ref, err := s.catalog.ProductModelRef(ctx, t.ProductID)
	if err != nil {
		return nil, false, err
	}
	key, err := modelCacheKey(t.BrandID, modelInputOf(ref.GLBSHA256, texs))
	if err != nil {
		return nil, false, err
	}
	b, err := s.cfg.Cache.Get(ctx, key)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("AR cache: %w", err)
	}
	var c cachedModel
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, false, nil
	}
	files := make([]File, len(c.Files))
	for i, f := range c.Files {
		files[i] = f.File
		files[i].Key = f.Key
		if _, err := s.blobs.Stat(ctx, f.Key); err != nil {
			return nil, false, nil // collected since: make them again
		}
	}
	return files, true, nil
}
