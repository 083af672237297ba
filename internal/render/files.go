package render

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// Render outputs are keyed by their inputs: a file is made only when no
// earlier render made it from the same inputs. rendererVersion is part of
// every input, so a change to how files are drawn makes them again.
const rendererVersion = "compose-1"

// maxFileSize bounds one output file (a 16k² print PNG stays far below).
const maxFileSize = 2 << 30

// inputHash hashes what a file is made from.
func inputHash(v any) (string, error) {
	b, err := json.Marshal(struct {
		Renderer string `json:"renderer"`
		Input    any    `json:"input"`
	}{rendererVersion, v})
	if err != nil {
		return "", fmt.Errorf("hash render input: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// fileKey is where a brand's render output lives:
// brands/<brand>/renders/<input sha256>.<ext>.
func fileKey(brandID, input, ext string) string {
	return "brands/" + brandID + "/renders/" + input + "." + ext
}

// maker writes a file and returns its pixel size.
type maker func(ctx context.Context, w io.Writer) (width, height int, err error)

// file returns the file made from input, making it with mk when no earlier
// render did (or its blob is gone).
func (s *Service) file(ctx context.Context, brandID, input, ext, mime string, base File, mk maker) (File, error) {
	f := base
	f.MimeType = mime
	err := s.db.QueryRowContext(ctx, `SELECT blob_key, sha256, width, height, size FROM render_files
		WHERE brand_id = $1 AND input_sha256 = $2`, brandID, input).Scan(&f.Key, &f.SHA256, &f.Width, &f.Height, &f.Size)
	switch {
	case err == nil:
		if _, err := s.blobs.Stat(ctx, f.Key); err == nil {
			f.Reused = true
			return f, nil
		} else if !errors.Is(err, blob.ErrNotFound) {
			return File{}, fmt.Errorf("render file: %w", err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return File{}, fmt.Errorf("render file: %w", err)
	}
	return s.make(ctx, brandID, input, ext, f, mk)
}

// make draws a file into a temporary file (a print PNG can be large),
// stores it and records it.
func (s *Service) make(ctx context.Context, brandID, input, ext string, f File, mk maker) (File, error) {
	tmp, err := os.CreateTemp(s.cfg.TempDir, "luneo-render-*."+ext)
	if err != nil {
		return File{}, fmt.Errorf("render file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	if f.Width, f.Height, err = mk(ctx, io.MultiWriter(tmp, h)); err != nil {
		return File{}, err
	}
	if f.Size, err = tmp.Seek(0, io.SeekCurrent); err != nil {
		return File{}, fmt.Errorf("render file: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return File{}, fmt.Errorf("render file: %w", err)
	}
	f.SHA256, f.Key = hex.EncodeToString(h.Sum(nil)), fileKey(brandID, input, ext)
	if _, err := s.blobs.Put(ctx, f.Key, tmp, blob.PutOptions{ContentType: f.MimeType, MaxSize: maxFileSize}); err != nil {
		return File{}, fmt.Errorf("store render file: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO render_files (brand_id, input_sha256, blob_key, sha256, mime_type, width, height, size, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (brand_id, input_sha256) DO UPDATE SET blob_key = excluded.blob_key, sha256 = excluded.sha256,
			width = excluded.width, height = excluded.height, size = excluded.size`,
		brandID, input, f.Key, f.SHA256, f.MimeType, f.Width, f.Height, f.Size, db.Time(s.cfg.Now())); err != nil {
		return File{}, fmt.Errorf("record render file: %w", err)
	}
	return f, nil
}

// sha is the SHA-256 of b (zero for nil), for input hashes.
func sha(b []byte) [32]byte {
	if b == nil {
		return [32]byte{}
	}
	return sha256.Sum256(b)
}
