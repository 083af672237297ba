package render

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/queue"
)

// High-quality renders: the design's GLB path-traced by Blender's Cycles
// with the camera and light convention of the raster package, when
// Blender is installed where the workers run. It is optional: without it,
// asking for one says so, and everything else works.

// HQ makes a path-traced three-quarter view of the design's GLB.
const HQ Kind = "hq"

// RoleHQView is the path-traced view.
const RoleHQView = "hq_view"

// hqSize and hqSamples: a 1024² image with 32 Cycles samples takes 5–20 s
// on two cores for models of the corpus, inside one job's minute.
const (
	hqSize    = 1024
	hqSamples = 32
)

// hqTimeout bounds Blender, inside the queue's longest attempt.
const hqTimeout = queue.MaxJobTimeout - 5*time.Second

//go:embed blender/render.py
var blenderScript []byte

// HQArgs is the job making a design version's high-quality render.
type HQArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (HQArgs) Kind() string { return "hq_design" }

// InsertOpts: three attempts (the seed's), in the render queue.
func (HQArgs) InsertOpts() river.InsertOpts { return insertOpts() }

var _ queue.Limited = HQArgs{}

type hqWorker struct {
	river.WorkerDefaults[HQArgs]
	s *Service
}

func (w *hqWorker) Work(ctx context.Context, job *river.Job[HQArgs]) error {
	return w.s.work(ctx, job.Args.JobArgs, HQ, job.Attempt, job.MaxAttempts, job.CreatedAt)
}

func (*hqWorker) Timeout(*river.Job[HQArgs]) time.Duration { return queue.MaxJobTimeout }

// ErrNoBlender is why a high-quality render cannot be made here.
var ErrNoBlender = apperr.New(apperr.Unprocessable,
	"high-quality renders need Blender (the blender command on the PATH of the machines running luneo worker, e.g. apt-get install blender python3-numpy); it is not installed")

// blender returns the path of the blender command, or ErrNoBlender.
func (s *Service) blender() (string, error) {
	name := s.cfg.Blender
	if name == "" {
		name = "blender"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", ErrNoBlender
	}
	return p, nil
}

// HQAvailable reports whether this process can run high-quality renders.
func (s *Service) HQAvailable() bool {
	_, err := s.blender()
	return err == nil
}

// RenderHQ enqueues a high-quality render of the design version t (the
// caller checked it is the brand's), or says why it cannot.
func (s *Service) RenderHQ(ctx context.Context, t Target) ([]Render, error) {
	if !s.HQAvailable() {
		return nil, ErrNoBlender
	}
	if err := s.db.InTx(ctx, func(tx *sql.Tx) error { _, err := s.enqueue(ctx, tx, t, HQ); return err }); err != nil {
		return nil, err
	}
	s.store.hub.wake(t.DesignID)
	return s.List(ctx, t.BrandID, t.DesignID)
}

// hq renders the version's GLB with Blender.
func (s *Service) hq(ctx context.Context, j *job) ([]File, error) {
	bin, err := s.blender()
	if err != nil {
		return nil, err
	}
	glb, err := s.modelFile(ctx, j, RoleGLB)
	if err != nil {
		return nil, err
	}
	input, err := inputHash(struct {
		Role    string `json:"role"`
		GLB     string `json:"glb"`
		Size    int    `json:"size"`
		Samples int    `json:"samples"`
		Script  [32]byte
	}{RoleHQView, glb.SHA256, hqSize, hqSamples, sha(blenderScript)})
	if err != nil {
		return nil, err
	}
	f, err := s.file(ctx, j.BrandID, input, "png", "image/png", File{Role: RoleHQView, View: modelViews[0].name},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			return s.runBlender(ctx, bin, glb, w)
		})
	if err != nil {
		return nil, err
	}
	return []File{f}, nil
}

// modelFile returns the file of role made by the version's newest
// completed model render. While that render is on its way the job waits
// (snoozed), at most productUSDZWait; a failed one fails this job too.
func (s *Service) modelFile(ctx context.Context, j *job, role string) (File, error) {
	rs, err := s.store.list(ctx, j.BrandID, j.DesignID)
	if err != nil {
		return File{}, err
	}
	m := latestOf(rs, j.Version, Model)
	switch {
	case m != nil && m.Status == Completed:
		for _, f := range m.Files {
			if f.Role == role {
				return f, nil
			}
		}
	case m != nil && m.Status == Failed:
		return File{}, apperr.New(apperr.Unprocessable, "the design's 3D files could not be made: %s", m.Error)
	case s.cfg.Now().Sub(j.created) <= productUSDZWait:
		return File{}, river.JobSnooze(2 * time.Second)
	}
	return File{}, apperr.New(apperr.Unprocessable, "the design has no 3D files to render: render it again first")
}

// runBlender writes the GLB, without animations (the convention renders
// the static pose), and the script to a temporary folder, runs Blender
// there and copies its PNG to w.
func (s *Service) runBlender(ctx context.Context, bin string, glb File, w io.Writer) (int, int, error) {
	data, err := s.readBlob(ctx, glb.Key, maxProductBytes)
	if err != nil {
		return 0, 0, fmt.Errorf("read design GLB: %w", err)
	}
	doc, err := gltf.Read(bytes.NewReader(data), int64(len(data)), gltf.ReadOptions{})
	if err != nil {
		return 0, 0, fmt.Errorf("read design GLB: %w", err)
	}
	still := *doc
	still.Animations = nil
	dir, err := os.MkdirTemp(s.cfg.TempDir, "luneo-hq-*")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	in, script, out := filepath.Join(dir, "in.glb"), filepath.Join(dir, "render.py"), filepath.Join(dir, "out.png")
	var b bytes.Buffer
	if err := gltf.WriteGLB(&b, &still); err != nil {
		return 0, 0, err
	}
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		return 0, 0, err
	}
	if err := os.WriteFile(script, blenderScript, 0o600); err != nil {
		return 0, 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, hqTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-b", "--factory-startup", "-noaudio", "--python-exit-code", "1",
		"--python", script, "--", in, out, strconv.Itoa(hqSize), strconv.Itoa(hqSamples))
	cmd.Dir = dir
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		tail := log.Bytes()[max(0, log.Len()-600):]
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, 0, apperr.New(apperr.Unprocessable, "the high-quality render took longer than %s", hqTimeout)
		}
		return 0, 0, fmt.Errorf("blender: %w: %s", err, tail)
	}
	img, err := os.ReadFile(out)
	if err != nil {
		return 0, 0, fmt.Errorf("blender wrote no image: %w", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return 0, 0, fmt.Errorf("blender's image: %w", err)
	}
	_, err = w.Write(img)
	return cfg.Width, cfg.Height, err
}
