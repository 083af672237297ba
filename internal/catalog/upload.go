package catalog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// Upload is a model file as it arrives from a client.
type Upload struct {
	Body io.Reader
	// Filename is the client's name for the file (may be empty).
	Filename string
	// ContentType is the declared media type (may be empty or generic).
	ContentType string
}

// IsModelMediaType reports whether a raw (not multipart) model upload may
// declare media type mt: the glTF types, zip, and the generic binary type
// some clients send for any file (the content is validated either way).
func IsModelMediaType(mt string) bool {
	switch mt {
	case "model/gltf-binary", "model/gltf+json", "application/zip", "application/x-zip-compressed", "application/octet-stream":
		return true
	}
	return false
}

// WrongModelType is what an upload of another media type is told.
const WrongModelType = "send the model as multipart/form-data (field \"file\") or as the body with " +
	"Content-Type model/gltf-binary, model/gltf+json or application/zip"

// UploadModel makes the uploaded file (GLB, .gltf with embedded data, or a
// zip of a .gltf and its files) the product's model. The file is spooled to
// a temporary file and validated first; an invalid file gets a 422 listing
// the validator's errors and leaves nothing behind. A valid one is stored
// twice, as uploaded and as a canonical GLB (the optimizer's output, see
// canonicalDocument), each with its SHA-256, and the canonical document's
// statistics and materials are recorded (texture and material indices then
// match the file the editor and AR read). Replacing a model keeps the old files until the
// new model is fully stored and committed, and is refused (409) when the
// product's zones target materials the new model lacks. Reading,
// validating and optimizing wait for the model's share of the
// process-wide model pool (see modelMemory), so parallel uploads do not
// add up.
func (s *Service) UploadModel(ctx context.Context, p auth.Principal, productID string, up Upload) (Model, error) {
	if err := canWrite(p); err != nil {
		return Model{}, err
	}
	// An unknown product is refused before a possibly large body is read.
	if _, err := getProduct(ctx, s.db, p.BrandID, productID); err != nil {
		return Model{}, err
	}
	orig, err := s.spool(up.Body, s.cfg.MaxModelSize, "LUNEO_MAX_MODEL_SIZE")
	if err != nil {
		return Model{}, err
	}
	defer orig.remove()
	// Parallel uploads and conversions share one pool of model memory:
	// everything up to the canonical GLB's file is done under it.
	format := modelFormat(orig, up)
	release, err := s.reserveUpload(ctx, orig, format)
	if err != nil {
		return Model{}, err
	}
	m, canon, err := s.prepareModel(ctx, p, productID, up, orig, format)
	release()
	if err != nil {
		return Model{}, err
	}
	defer canon.remove()
	mats := m.Materials
	if err := s.putFile(ctx, m.Original, orig); err != nil {
		s.deleteBlobs(ctx, m.Original.key)
		return Model{}, err
	}
	if err := s.putFile(ctx, m.Canonical, canon); err != nil {
		s.deleteBlobs(ctx, m.Original.key, m.Canonical.key)
		return Model{}, err
	}
	var old Model
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := lockProduct(ctx, tx, p.BrandID, productID, m.CreatedAt); err != nil {
			return err
		}
		if err := checkZonesFit(ctx, tx, p.BrandID, productID, mats); err != nil {
			return err
		}
		var err error
		if old, err = loadModel(ctx, tx, p.BrandID, productID); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM product_models WHERE product_id = $1 AND brand_id = $2`, productID, p.BrandID); err != nil {
			return fmt.Errorf("replace model: %w", err)
		}
		if err := insertModel(ctx, tx, p.BrandID, m); err != nil {
			return err
		}
		if s.cfg.OnModelStored != nil {
			return s.cfg.OnModelStored(ctx, tx, p.BrandID, productID, m.Canonical.SHA256)
		}
		return nil
	})
	if err != nil {
		s.deleteBlobs(ctx, m.Original.key, m.Canonical.key)
		return Model{}, err
	}
	s.deleteBlobs(ctx, old.Original.key, old.Canonical.key)
	if old.ID != "" {
		// And what was derived from the old model (the widget's textures).
		s.sweepPrefix(ctx, modelKey(p.BrandID, productID, old.ID, ""))
	}
	return m, s.signModel(ctx, &m)
}

// prepareModel reads and validates the spooled upload, makes its canonical
// GLB in a temporary file and describes both: the memory-heavy part of an
// upload, run under its model memory reservation. Nothing is stored yet.
func (s *Service) prepareModel(ctx context.Context, p auth.Principal, productID string, up Upload, orig *spooled, format string) (Model, *spooled, error) {
	doc, format, err := readModel(orig, format, s.cfg.MaxModelSize)
	if err != nil {
		return Model{}, nil, err
	}
	images, err := checkTextureMemory(doc, s.cfg.MaxTextureMemory)
	if err != nil {
		return Model{}, nil, err
	}
	canonDoc, err := s.canonicalDocument(ctx, doc, images)
	if err != nil {
		return Model{}, nil, err
	}
	mats := modelMaterials(canonDoc)
	// Checked here to refuse early, and again in the transaction.
	if err := checkZonesFit(ctx, s.db, p.BrandID, productID, mats); err != nil {
		return Model{}, nil, err
	}
	id, err := db.NewID()
	if err != nil {
		return Model{}, nil, err
	}
	canon, err := s.writeCanonical(canonDoc)
	if err != nil {
		return Model{}, nil, err
	}
	m := Model{
		ID: id, ProductID: productID, Format: format, Materials: mats, Stats: gltf.Stats(canonDoc),
		Report: doc.Report, CreatedAt: s.stamp(),
		Original: ModelFile{Filename: downloadName(up.Filename, "model."+format), ContentType: contentTypes[format],
			Size: orig.size, SHA256: orig.sha256, key: modelKey(p.BrandID, productID, id, "original."+format)},
		Canonical: ModelFile{Filename: "canonical.glb", ContentType: glbType, Size: canon.size, SHA256: canon.sha256,
			key: modelKey(p.BrandID, productID, id, "canonical.glb")},
	}
	m.Report.Issues = nonNil(m.Report.Issues)
	return m, canon, nil
}

// writeCanonical writes doc as one self-contained GLB into a temporary file.
func (s *Service) writeCanonical(doc *gltf.Document) (*spooled, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "luneo-canonical-*")
	if err != nil {
		return nil, fmt.Errorf("canonical GLB: %w", err)
	}
	sp := &spooled{File: f}
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, h)}
	if err := gltf.WriteGLB(cw, doc); err != nil {
		sp.remove()
		return nil, fmt.Errorf("canonical GLB: %w", err)
	}
	sp.size, sp.sha256 = cw.n, hex.EncodeToString(h.Sum(nil))
	return sp, nil
}

// putFile stores a spooled file under the key of mf.
func (s *Service) putFile(ctx context.Context, mf ModelFile, f *spooled) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("store %s: %w", mf.key, err)
	}
	if _, err := s.blobs.Put(ctx, mf.key, f.File, blob.PutOptions{ContentType: mf.ContentType, MaxSize: f.size}); err != nil {
		return fmt.Errorf("store %s: %w", mf.key, err)
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
