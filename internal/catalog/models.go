package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// ModelSummary is what a product shows of its model.
type ModelSummary struct {
	ID         string    `json:"id"`
	Format     string    `json:"format"`
	Triangles  int64     `json:"triangles"`
	Materials  []string  `json:"materials"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// ModelMaterial is a material of a model, which zones target by name.
type ModelMaterial struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	// UVSets counts the texture coordinate sets of the primitives drawn with
	// the material; a print zone needs at least one to place its print.
	UVSets int `json:"uv_sets"`
}

// ModelFile is one stored file of a model.
type ModelFile struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// URL lets anyone holding it download the file until URLsExpireAt.
	URL string `json:"url,omitempty"`
	key string
}

// Model is the 3D model of a product: the file as uploaded, the canonical
// GLB made from it (uncompressed, names kept: what every later step reads),
// and what the validator found.
type Model struct {
	ID        string          `json:"id"`
	ProductID string          `json:"product_id"`
	Format    string          `json:"format"` // of the original: glb, gltf or zip
	Original  ModelFile       `json:"original"`
	Canonical ModelFile       `json:"canonical"`
	Materials []ModelMaterial `json:"materials"`
	Stats     gltf.Statistics `json:"stats"`
	// Report lists the validator's warnings and notes; a file with errors
	// is refused, so there are none here.
	Report       gltf.Report `json:"report"`
	CreatedAt    time.Time   `json:"created_at"`
	URLsExpireAt *time.Time  `json:"urls_expire_at,omitempty"`
}

// GetModel returns the product's model with signed URLs (valid for URLTTL)
// to download the original and the canonical GLB.
func (s *Service) GetModel(ctx context.Context, p auth.Principal, productID string) (Model, error) {
	if err := canRead(p); err != nil {
		return Model{}, err
	}
	m, err := loadModel(ctx, s.db, p.BrandID, productID)
	if errors.Is(err, sql.ErrNoRows) {
		if _, perr := getProduct(ctx, s.db, p.BrandID, productID); perr != nil {
			return Model{}, perr
		}
		return Model{}, apperr.New(apperr.NotFound, "this product has no 3D model yet: upload one")
	}
	if err != nil {
		return Model{}, err
	}
	return m, s.signModel(ctx, &m)
}

// signModel fills in the download URLs of m.
func (s *Service) signModel(ctx context.Context, m *Model) error {
	var err error
	if m.Original.URL, err = s.blobs.SignedURL(ctx, m.Original.key, URLTTL, blob.URLOptions{Filename: m.Original.Filename}); err != nil {
		return fmt.Errorf("sign model %s: %w", m.ID, err)
	}
	if m.Canonical.URL, err = s.blobs.SignedURL(ctx, m.Canonical.key, URLTTL, blob.URLOptions{}); err != nil {
		return fmt.Errorf("sign model %s: %w", m.ID, err)
	}
	exp := s.now().Add(URLTTL).UTC().Truncate(time.Second)
	m.URLsExpireAt = &exp
	return nil
}

const modelColumns = `id, product_id, format, filename, original_key, original_content_type, original_size, original_sha256,
	canonical_key, canonical_size, canonical_sha256, materials, stats, report, created_at`

// loadModel reads the model row of a product; sql.ErrNoRows when it has none.
func loadModel(ctx context.Context, q db.Querier, brandID, productID string) (Model, error) {
	var m Model
	var mats, stats, report string
	err := q.QueryRowContext(ctx, `SELECT `+modelColumns+` FROM product_models WHERE product_id = $1 AND brand_id = $2`,
		productID, brandID).Scan(&m.ID, &m.ProductID, &m.Format, &m.Original.Filename, &m.Original.key,
		&m.Original.ContentType, &m.Original.Size, &m.Original.SHA256, &m.Canonical.key, &m.Canonical.Size,
		&m.Canonical.SHA256, &mats, &stats, &report, &m.CreatedAt)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Model{}, err
		}
		return Model{}, fmt.Errorf("load model: %w", err)
	}
	m.CreatedAt = m.CreatedAt.UTC()
	m.Canonical.Filename, m.Canonical.ContentType = "canonical.glb", glbType
	if err := errors.Join(json.Unmarshal([]byte(mats), &m.Materials), json.Unmarshal([]byte(stats), &m.Stats),
		json.Unmarshal([]byte(report), &m.Report)); err != nil {
		return Model{}, fmt.Errorf("model %s: %w", m.ID, err)
	}
	m.Materials = nonNil(m.Materials)
	m.Report.Issues = nonNil(m.Report.Issues)
	return m, nil
}

// insertModel writes the model row.
func insertModel(ctx context.Context, tx *sql.Tx, brandID string, m Model) error {
	mats, err := json.Marshal(m.Materials)
	if err != nil {
		return err
	}
	stats, err := json.Marshal(m.Stats)
	if err != nil {
		return err
	}
	report, err := json.Marshal(m.Report)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO product_models (id, brand_id, product_id, format, filename,
		original_key, original_content_type, original_size, original_sha256, canonical_key, canonical_size,
		canonical_sha256, triangles, materials, stats, report, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		m.ID, brandID, m.ProductID, m.Format, m.Original.Filename, m.Original.key, m.Original.ContentType,
		m.Original.Size, m.Original.SHA256, m.Canonical.key, m.Canonical.Size, m.Canonical.SHA256,
		m.Stats.Triangles, string(mats), string(stats), string(report), m.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert model: %w", err)
	}
	return nil
}

// modelMaterials lists doc's materials with the UV sets their primitives have.
func modelMaterials(doc *gltf.Document) []ModelMaterial {
	out := make([]ModelMaterial, len(doc.Materials))
	for i, m := range doc.Materials {
		out[i] = ModelMaterial{Index: i, Name: m.Name}
	}
	for _, mesh := range doc.Meshes {
		for _, pr := range mesh.Primitives {
			if pr.Material == nil || *pr.Material < 0 || *pr.Material >= len(out) {
				continue
			}
			n := 0
			for n < 8 {
				if _, ok := pr.Attributes[fmt.Sprintf("TEXCOORD_%d", n)]; !ok {
					break
				}
				n++
			}
			mm := &out[*pr.Material]
			mm.UVSets = max(mm.UVSets, n)
		}
	}
	return out
}

// materialNames lists the distinct non-empty names of mats, in order.
func materialNames(mats []ModelMaterial) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, m := range mats {
		if m.Name != "" && !seen[m.Name] {
			seen[m.Name] = true
			out = append(out, m.Name)
		}
	}
	return out
}
