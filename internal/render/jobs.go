package render

import (
	"github.com/riverqueue/river"
)

// JobArgs say which render a job works; the render row holds the rest.
type JobArgs struct {
	RenderID  string `json:"render_id"`
	BrandID   string `json:"brand_id"`
	DesignID  string `json:"design_id"`
	ProductID string `json:"product_id"`
	Version   int    `json:"version"`
	SHA256    string `json:"sha256"`
}

// ComposeArgs is the job making a design version's textures and previews.
type ComposeArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (ComposeArgs) Kind() string { return "compose_design" }

// InsertOpts: three attempts (the seed's), in the image queue.
func (ComposeArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// ProduceArgs is the job making a design version's print files.
type ProduceArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (ProduceArgs) Kind() string { return "produce_design" }

// InsertOpts: three attempts (the seed's), in the image queue.
func (ProduceArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// MaxAttempts is how often a render is tried before it fails for good.
const MaxAttempts = 3

func insertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts}
}
