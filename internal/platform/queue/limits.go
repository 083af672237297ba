package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Limited is implemented by the args of job kinds that share a scarce
// resource (the render kinds: compose_design, produce_design, later the 3D
// ones). Register notices it and puts every job of the kind under Limits,
// across all worker processes: group names the resource the kinds share
// ("render"), tenant the brand the job works for. Both must be the same for
// every attempt of a job, so they come from the args, not from the clock.
type Limited interface {
	river.JobArgs
	LimitKey() (group, tenant string)
}

// Limits are what the limited kinds may use, per group. River's open-source
// edition has no per-tenant concurrency or rate limit, so the queue enforces
// these itself (limiter.go) with leases and counters in the kv store, which
// every worker process shares. The zero value of a field means its default,
// the seed's render limits.
type Limits struct {
	// Total is how many jobs of a group run at once in all processes (5).
	Total int
	// PerTenant is how many of them one tenant may run at once (3).
	PerTenant int
	// Starts is how many jobs of a group one tenant may start per Window (100).
	Starts int
	// Window is the fixed window Starts counts over (1 minute).
	Window time.Duration
	// Snooze is the mean delay before a job refused by a concurrency limit
	// tries again; each delay is drawn from [Snooze/2, 3·Snooze/2) so that
	// refused jobs do not come back in lockstep (1 s).
	Snooze time.Duration
	// MaxAttempts is how many times a limited job runs before it is
	// discarded (3). Snoozes do not count: River gives the attempt back.
	MaxAttempts int
	// RetryBase is the first retry's delay; each later one doubles it (1 s,
	// so 1 s then 2 s with MaxAttempts 3), ±10 % jitter.
	RetryBase time.Duration
	// KeepCompleted and KeepFailed are how many completed, and how many
	// discarded or cancelled, jobs of each limited kind the retention job
	// keeps (100 and 50); RetentionEvery is how often it runs (1 minute).
	KeepCompleted, KeepFailed int
	RetentionEvery            time.Duration
}

// DefaultLimits are the seed's render limits.
func DefaultLimits() Limits {
	return Limits{Total: 5, PerTenant: 3, Starts: 100, Window: time.Minute, Snooze: time.Second,
		MaxAttempts: 3, RetryBase: time.Second, KeepCompleted: 100, KeepFailed: 50, RetentionEvery: time.Minute}
}

// withDefaults fills every zero field from DefaultLimits and refuses
// negative ones, which are a configuration mistake rather than "no limit".
func (l Limits) withDefaults() (Limits, error) {
	def := DefaultLimits()
	ints := []struct {
		name      string
		v         *int
		def       int
		allowZero bool
	}{
		{"Total", &l.Total, def.Total, false}, {"PerTenant", &l.PerTenant, def.PerTenant, false},
		{"Starts", &l.Starts, def.Starts, false}, {"MaxAttempts", &l.MaxAttempts, def.MaxAttempts, false},
		{"KeepCompleted", &l.KeepCompleted, def.KeepCompleted, false}, {"KeepFailed", &l.KeepFailed, def.KeepFailed, false},
	}
	for _, f := range ints {
		if *f.v < 0 {
			return l, fmt.Errorf("job limits: %s is %d, must not be negative", f.name, *f.v)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	durs := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"Window", &l.Window, def.Window}, {"Snooze", &l.Snooze, def.Snooze},
		{"RetryBase", &l.RetryBase, def.RetryBase}, {"RetentionEvery", &l.RetentionEvery, def.RetentionEvery},
	}
	for _, f := range durs {
		if *f.v < 0 {
			return l, fmt.Errorf("job limits: %s is %s, must not be negative", f.name, *f.v)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if l.PerTenant > l.Total {
		l.PerTenant = l.Total
	}
	return l, nil
}

// limitKeyFunc reads a job's group and tenant from its encoded args.
type limitKeyFunc func(encodedArgs []byte) (group, tenant string, err error)

// limitKeyOf returns the limitKeyFunc of T when T (or *T) is Limited.
func limitKeyOf[T river.JobArgs]() (limitKeyFunc, bool) {
	var zero T
	_, byValue := any(zero).(Limited)
	_, byPointer := any(&zero).(Limited)
	if !byValue && !byPointer {
		return nil, false
	}
	return func(encoded []byte) (string, string, error) {
		var args T
		if err := json.Unmarshal(encoded, &args); err != nil {
			return "", "", fmt.Errorf("read limit key of %s: %w", args.Kind(), err)
		}
		l, ok := any(args).(Limited)
		if !ok {
			l = any(&args).(Limited)
		}
		group, tenant := l.LimitKey()
		return group, tenant, nil
	}, true
}

// retryPolicy gives limited kinds their exponential backoff and leaves every
// other kind to River's default (attempt⁴ s). A worker's own NextRetry still
// wins over both, as River asks it first.
type retryPolicy struct {
	limited map[string]limitKeyFunc
	base    time.Duration
	def     river.ClientRetryPolicy
}

var _ river.ClientRetryPolicy = (*retryPolicy)(nil)

// NextRetry implements river.ClientRetryPolicy. job.Errors holds the errors
// before this one (River records the current error after asking), and it
// counts failures only: snoozes leave no error, so an over-limit job that
// was snoozed many times still retries after RetryBase on its first failure.
func (p *retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	if _, ok := p.limited[job.Kind]; !ok {
		return p.def.NextRetry(job)
	}
	d := p.base << min(len(job.Errors), 20)
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10 // ±10 %
	return time.Now().UTC().Add(d + jitter)
}

// maxAttemptsMiddleware gives jobs of limited kinds Limits.MaxAttempts
// unless their insert options chose a number: River has filled in its
// default (25) by the time insert middleware runs, so that value is what
// "not chosen" looks like here.
type maxAttemptsMiddleware struct {
	river.MiddlewareDefaults
	limited map[string]limitKeyFunc
	max     int
}

var _ rivertype.JobInsertMiddleware = (*maxAttemptsMiddleware)(nil)

// InsertMany implements rivertype.JobInsertMiddleware.
func (m *maxAttemptsMiddleware) InsertMany(ctx context.Context, params []*rivertype.JobInsertParams,
	doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	for _, p := range params {
		if _, ok := m.limited[p.Kind]; ok && p.MaxAttempts == river.MaxAttemptsDefault {
			p.MaxAttempts = m.max
		}
	}
	return doInner(ctx)
}
