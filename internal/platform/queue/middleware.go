package queue

import (
	"context"
	"encoding/json"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/obs"
)

// requestIDMiddleware copies the request ID of the enqueuing context into the
// job's metadata, and back into the context (and so into every log line) when
// the job is worked: a job's logs can be found from the request that caused it.
type requestIDMiddleware struct{ river.MiddlewareDefaults }

var (
	_ rivertype.JobInsertMiddleware = &requestIDMiddleware{}
	_ rivertype.WorkerMiddleware    = &requestIDMiddleware{}
)

const metaRequestID = "request_id"

func (*requestIDMiddleware) InsertMany(ctx context.Context, params []*rivertype.JobInsertParams,
	doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	if id := obs.RequestID(ctx); id != "" {
		for _, p := range params {
			meta := map[string]any{}
			if len(p.Metadata) > 0 {
				_ = json.Unmarshal(p.Metadata, &meta)
			}
			meta[metaRequestID] = id
			if b, err := json.Marshal(meta); err == nil {
				p.Metadata = b
			}
		}
	}
	return doInner(ctx)
}

func (*requestIDMiddleware) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	var meta struct {
		RequestID string `json:"request_id"`
	}
	if len(job.Metadata) > 0 && json.Unmarshal(job.Metadata, &meta) == nil && meta.RequestID != "" {
		ctx = obs.WithRequestID(ctx, meta.RequestID)
	}
	return doInner(ctx)
}

// RequestIDOf returns the request ID a job was enqueued under, or "".
func RequestIDOf(job *rivertype.JobRow) string {
	var meta struct {
		RequestID string `json:"request_id"`
	}
	_ = json.Unmarshal(job.Metadata, &meta)
	return meta.RequestID
}
