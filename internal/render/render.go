// Package render is the design render pipeline (the seed's Worker Render
// Pipeline, on River): saving a design version enqueues, in the same
// transaction, a compose render (the design texture of every zone material
// and a preview of every print zone) and, when asked or when ordered, a
// produce render (each print zone's print file as PNG and vector PDF at the
// zone's DPI, bleed included).
//
// A render is a row of the renders table (status queued → processing →
// completed | failed, with progress and the files made) and a River job that
// does the work. The row, not the job, is what the API and the dashboard
// read: it survives the queue's retention and reads the same on SQLite and
// PostgreSQL. Files are content-addressed blobs keyed by what went into them,
// so an unchanged zone is not rendered again.
package render

import (
	"time"

	"github.com/luneo/luneo/internal/design"
)

// Kind names what a render makes.
type Kind string

// The render kinds.
const (
	// Compose makes the design textures and the zone previews.
	Compose Kind = "compose"
	// Produce makes the print files.
	Produce Kind = "produce"
	// Model makes the per-design 3D files from the design textures of the
	// version's compose render: the product's GLB and USDZ with the design
	// textures swapped in (no geometry work) and 3D views. It is enqueued
	// when that compose render completes.
	Model Kind = "model"
)

// Status is where a render stands.
type Status string

// The statuses, in order.
const (
	Queued     Status = "queued"
	Processing Status = "processing"
	Completed  Status = "completed"
	Failed     Status = "failed"
)

// Done reports whether the render will not change any more.
func (s Status) Done() bool { return s == Completed || s == Failed }

// Roles of the files a render makes.
const (
	// RoleTexture is a material's base colour texture with the design in it.
	RoleTexture = "texture"
	// RolePreview is a print zone's design, small, for screens.
	RolePreview = "preview"
	// RolePrintPNG and RolePrintPDF are a print zone's production files.
	RolePrintPNG = "print_png"
	RolePrintPDF = "print_pdf"
	// RoleGLB and RoleUSDZ are the product's model with the design on it,
	// for Android's Scene Viewer (and the 3D viewer) and iOS AR Quick Look.
	RoleGLB  = "glb"
	RoleUSDZ = "usdz"
	// RoleView is a rendered view of the designed product (File.View
	// names it: three-quarter, front or back).
	RoleView = "view"
)

// File is one file a render made.
type File struct {
	Role string `json:"role"`
	// ZoneID is the zone the file shows (empty for textures, which may hold
	// several zones of one material).
	ZoneID string `json:"zone_id,omitempty"`
	// Material is the model material a texture is for.
	Material string `json:"material,omitempty"`
	// View is the camera of a RoleView file.
	View     string  `json:"view,omitempty"`
	Key      string  `json:"-"`
	SHA256   string  `json:"sha256"`
	MimeType string  `json:"mime_type"`
	Width    int     `json:"width,omitempty"`
	Height   int     `json:"height,omitempty"`
	DPI      float64 `json:"dpi,omitempty"`
	Size     int64   `json:"size"`
	// Reused says an earlier render made this file from the same inputs, so
	// this one did not draw it again.
	Reused bool `json:"reused,omitempty"`
	// URL lets anyone holding it download the file until the render's
	// URLsExpireAt (filled when a render is read through the API).
	URL string `json:"url,omitempty"`
}

// Render is one render of a design version.
type Render struct {
	ID       string `json:"id"`
	DesignID string `json:"design_id"`
	Version  int    `json:"version"`
	Kind     Kind   `json:"kind"`
	Status   Status `json:"status"`
	// Progress is 0–100.
	Progress int    `json:"progress"`
	Error    string `json:"error,omitempty"`
	Files    []File `json:"files"`
	// Attempts counts the times a worker started this render.
	Attempts   int        `json:"attempts"`
	JobID      int64      `json:"job_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// URLsExpireAt is when the files' URLs stop working.
	URLsExpireAt *time.Time `json:"urls_expire_at,omitempty"`
	brandID      string
}

// TargetOf is the render target of a saved design version.
func TargetOf(v design.VersionRef) Target {
	return Target{BrandID: v.BrandID, DesignID: v.DesignID, ProductID: v.ProductID, Version: v.Version, SHA256: v.SHA256}
}

// Target is the design version a render works on.
type Target struct {
	BrandID   string
	DesignID  string
	ProductID string
	Version   int
	// SHA256 is the design version's content hash.
	SHA256 string
}
