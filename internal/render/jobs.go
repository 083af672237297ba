package render

import (
	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/queue"
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

// target is the design version the job works on.
func (a JobArgs) target() Target {
	return Target{BrandID: a.BrandID, DesignID: a.DesignID, ProductID: a.ProductID, Version: a.Version, SHA256: a.SHA256}
}

// ComposeArgs is the job making a design version's textures and previews.
type ComposeArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (ComposeArgs) Kind() string { return "compose_design" }

// InsertOpts: three attempts (the seed's), in the render queue.
func (ComposeArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// ProduceArgs is the job making a design version's print files.
type ProduceArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (ProduceArgs) Kind() string { return "produce_design" }

// InsertOpts: three attempts (the seed's), in the render queue.
func (ProduceArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// ModelArgs is the job making a design version's GLB, USDZ and views.
type ModelArgs struct{ JobArgs }

// Kind names the job kind in the queue.
func (ModelArgs) Kind() string { return "model_design" }

// InsertOpts: three attempts (the seed's), in the render queue.
func (ModelArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// MaxAttempts is how often a render is tried before it fails for good.
const MaxAttempts = 3

// Queue is the queue renders run in, apart from AR conversions (whose
// queue is sized by memory and may be busy for seconds) so a saved design's
// texture is not held behind them; Workers is its worker count per
// process, the seed's total. Memory, not the count, bounds what they draw
// at once: every render reserves its pixels from the image pool.
const (
	Queue   = "renders"
	Workers = 5
)

func insertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: Queue}
}

// limitGroup is the group the seed's render limits count in: compose and
// produce renders share it (5 at once in all, 3 per brand, 100 starts per
// brand per minute; queue.DefaultLimits).
const limitGroup = "render"

// LimitKey puts renders under the queue's per-brand limits.
func (a JobArgs) LimitKey() (group, tenant string) { return limitGroup, a.BrandID }

var (
	_ queue.Limited = ComposeArgs{}
	_ queue.Limited = ProduceArgs{}
	_ queue.Limited = ModelArgs{}
)
