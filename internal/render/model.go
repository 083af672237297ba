package render

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/usdz"
)

// The model render: a design version's 3D files, made from the design
// textures its compose render made. The product's canonical GLB and its
// cached USDZ get the textures swapped in — no geometry work — so the
// shopper's own design is in AR within about a second of saving, built on
// the server (model-viewer's in-browser USDZ export caps textures at
// 1024 px, and Scene Viewer downloads the GLB URL again, never seeing a
// texture changed in the page).

// modelVersion is part of every model file's input: bump it when how the
// per-design GLB, USDZ or views are made changes, the raster renderer
// included (usdz.Version is an input of its own).
const modelVersion = "model-1"

// modelCacheTTL is how long the kv cache remembers the files made from a
// set of design textures (the seed's "same texture already converted").
const modelCacheTTL = 30 * 24 * time.Hour

// modelInput is what a design's 3D files are made from: the product model
// and the design textures by content, so identical designs share files.
// The GLB's hash fixes each material's index, UV set and base colour, so a
// texture's material name and hash are enough. It keys the files and the
// kv cache alike.
type modelInput struct {
	Version  string         `json:"version"`
	GLB      string         `json:"glb"`
	USDZ     string         `json:"usdz"`
	Textures []modelTexture `json:"textures"`
}

type modelTexture struct {
	Material string `json:"material"`
	SHA256   string `json:"sha256"`
}

// modelInputOf describes the 3D files made from the product GLB glbSHA
// and texture files texs (a compose render's), without reading either.
func modelInputOf(glbSHA string, texs []File) modelInput {
	in := modelInput{Version: modelVersion, GLB: glbSHA, USDZ: usdz.Version}
	for _, f := range texs {
		in.Textures = append(in.Textures, modelTexture{Material: f.Material, SHA256: f.SHA256})
	}
	return in
}

// modelSwaps are the texture swaps of a design version and what they are
// made from.
type modelSwaps struct {
	in    modelInput
	swaps []gltf.BaseColorSwap
}

// model makes the GLB, the USDZ and the views of a design version.
func (s *Service) model(ctx context.Context, j *job) ([]File, error) {
	texs, err := s.composedTextures(ctx, j.JobArgs)
	if err != nil {
		return nil, err
	}
	ms, err := s.loadSwaps(ctx, j, texs)
	if err != nil {
		return nil, err
	}
	prod, err := s.productFor(ctx, j)
	if err != nil {
		return nil, err
	}
	// The GLB and USDZ are a swap and an upload each, the views CPU work:
	// both go on at once, so the uploads hide behind the rendering.
	files := make([]File, 2+len(modelViews))
	var done atomic.Int32
	step := func(i int, mk func() (File, error)) error {
		f, err := mk()
		if err != nil {
			return err
		}
		files[i] = f
		return s.store.progress(ctx, j.RenderID, int(done.Add(1))*100/len(files))
	}
	packages := make(chan error, 1)
	go func() {
		err := step(0, func() (File, error) { return s.designGLB(ctx, j, prod, ms) })
		if err == nil {
			err = step(1, func() (File, error) { return s.designUSDZ(ctx, j, prod, ms) })
		}
		packages <- err
	}()
	if err := errors.Join(s.designViews(ctx, j, prod, ms, func(i int, mk func() (File, error)) error {
		return step(2+i, mk)
	}), <-packages); err != nil {
		return nil, err
	}
	if err := s.cacheModel(ctx, j.BrandID, ms.in, files); err != nil {
		s.logger.WarnContext(ctx, "model files not cached", "render", j.RenderID, "error", err)
	}
	return files, nil
}

// composedTextures returns the texture files of the newest completed
// compose render of the job's version. A version whose compose render
// failed for good cannot have 3D files: the model render fails with it.
func (s *Service) composedTextures(ctx context.Context, a JobArgs) ([]File, error) {
	rs, err := s.store.list(ctx, a.BrandID, a.DesignID)
	if err != nil {
		return nil, err
	}
	failed := ""
	for _, r := range rs {
		if r.Kind != Compose || r.Version != a.Version {
			continue
		}
		switch r.Status {
		case Completed:
			return texturesOf(r), nil
		case Failed:
			if failed == "" {
				failed = r.Error
			}
		default:
			return nil, fmt.Errorf("design %s version %d: its textures are not made yet", a.DesignID, a.Version)
		}
	}
	if failed != "" {
		return nil, apperr.New(apperr.Unprocessable, "the design's textures could not be made: %s", failed)
	}
	return nil, apperr.New(apperr.Unprocessable, "the design version has no textures: render it again")
}

// texturesOf lists a render's texture files.
func texturesOf(r Render) []File {
	var out []File
	for _, f := range r.Files {
		if f.Role == RoleTexture {
			out = append(out, f)
		}
	}
	return out
}

// loadSwaps reads the texture files into swaps of the materials they are
// for.
func (s *Service) loadSwaps(ctx context.Context, j *job, texs []File) (*modelSwaps, error) {
	ms := &modelSwaps{in: modelInputOf(j.src.Model.GLBSHA256, texs)}
	for _, f := range texs {
		m, ok := j.src.Materials[f.Material]
		if !ok {
			return nil, apperr.New(apperr.Unprocessable, "the model has no material %q any more: save the design again", f.Material)
		}
		data, err := s.readBlob(ctx, f.Key, imageLimits.MaxBytes)
		if err != nil {
			return nil, fmt.Errorf("read design texture: %w", err)
		}
		ms.swaps = append(ms.swaps, gltf.BaseColorSwap{Material: m.Index, Data: data, TexCoord: m.TexCoord, FactorWhite: m.Image == nil})
	}
	return ms, nil
}

// designGLB makes the product's GLB with the design textures.
func (s *Service) designGLB(ctx context.Context, j *job, prod *product, ms *modelSwaps) (File, error) {
	input, err := inputHash(struct {
		Role  string     `json:"role"`
		Model modelInput `json:"model"`
	}{RoleGLB, ms.in})
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, j.BrandID, input, "glb", "model/gltf-binary", File{Role: RoleGLB},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			doc, err := gltf.WithBaseColors(prod.doc, ms.swaps)
			if err != nil {
				return 0, 0, fmt.Errorf("design GLB: %w", err)
			}
			return 0, 0, gltf.WriteGLB(w, doc)
		})
}

// cachedModel is the kv cache entry of a set of design textures: the files
// a model render made from them, with their blob keys.
type cachedModel struct {
	Files []cachedFile `json:"files"`
}

type cachedFile struct {
	File
	Key string `json:"key"`
}

// modelCacheKey is the kv key of the 3D files made from in.
func modelCacheKey(brandID string, in modelInput) (string, error) {
	h, err := inputHash(in)
	if err != nil {
		return "", err
	}
	return "render:model:" + brandID + ":" + h, nil
}

// cacheModel remembers the files made from a model input.
func (s *Service) cacheModel(ctx context.Context, brandID string, in modelInput, files []File) error {
	if s.cfg.Cache == nil {
		return nil
	}
	key, err := modelCacheKey(brandID, in)
	if err != nil {
		return err
	}
	c := cachedModel{}
	for _, f := range files {
		c.Files = append(c.Files, cachedFile{File: f, Key: f.Key})
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.cfg.Cache.Set(ctx, key, b, modelCacheTTL)
}
