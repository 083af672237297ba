package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/kv"
)

// leaseMargin is how long a slot outlives its job's timeout: time for a
// timed-out attempt to notice its cancelled context and give the slot back.
const leaseMargin = 15 * time.Second

// releaseTimeout bounds giving slots back, which runs on a context freed
// from the job's (a timed-out job must still release).
const releaseTimeout = 5 * time.Second

// limiter is the worker middleware that holds limited kinds to Limits
// across every worker process. Before a limited job runs it takes a slot of
// its tenant (PerTenant of them per group) and a slot of its group (Total),
// each a kv key set with SetNX to a token of this run, then counts the start
// in its tenant's fixed window (Starts per Window). When any of the three
// is refused it gives back what it took and snoozes the job.
//
// Snoozing does not use an attempt: River sets the attempt back and counts
// the snooze in the job's metadata ("snoozes"), so an over-limit job waits
// as long as it must and still has its MaxAttempts for real failures. A
// short snooze (up to River's 5 s scheduler interval) leaves the job
// available with a future scheduled_at, so no scheduler pass is waited for.
//
// A slot is a lease: its TTL is the kind's timeout plus leaseMargin, so a
// slot whose process crashed frees itself once no attempt can still be
// running, and before River's rescuer (RescueAfter) retries the job. It is
// given back with DeleteIf and its own token, so a run whose lease had
// already run out cannot free the slot someone else took since.
//
// Fairness: no tenant can hold more than PerTenant of a group's Total
// slots, so while one brand floods the queue the others always find
// Total−PerTenant slots it cannot take. Among waiting jobs, whichever
// comes back first after a slot frees gets it; delays are drawn at random,
// so every waiting job has the same chance at each freed slot and none is
// passed over forever (the chance of losing k times in a row shrinks
// geometrically). River fetches the oldest scheduled_at first, so a
// snoozed job goes behind jobs that became due before it came back: the
// waiting jobs take turns. A brand over its rate limit snoozes until its
// window ends (plus jitter), so it does not spin meanwhile.
type limiter struct {
	river.MiddlewareDefaults
	kv      kv.Store
	limits  Limits
	limited map[string]limitKeyFunc
	lease   map[string]time.Duration // per kind: timeout + leaseMargin
	logger  *slog.Logger
}

var _ rivertype.WorkerMiddleware = (*limiter)(nil)

// keyPrefix starts every kv key of the limiter.
const keyPrefix = "queue:limit:"

// Work implements rivertype.WorkerMiddleware.
func (l *limiter) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	keyOf, ok := l.limited[job.Kind]
	if !ok {
		return doInner(ctx)
	}
	group, tenant, err := keyOf(job.EncodedArgs)
	if err != nil {
		return err
	}
	held, wait, err := l.acquire(ctx, job.Kind, group, tenant)
	if err != nil {
		// The kv store failing is a failed attempt: it is retried with
		// backoff and shows in the job's errors, where a snooze would hide it.
		return fmt.Errorf("job limits of %s: %w", job.Kind, err)
	}
	if held == nil {
		return river.JobSnooze(wait)
	}
	defer l.release(ctx, held)
	return doInner(ctx)
}

// lease is the slots one run holds and the token that proves it.
type lease struct {
	token []byte
	keys  []string
}

// acquire takes a tenant slot, a group slot and a start in the tenant's
// window, in that order (the tenant's limit is the one most often full, so
// it is asked first and a refused job costs the group's keys nothing). It
// returns the lease, or nil and how long to snooze.
func (l *limiter) acquire(ctx context.Context, kind, group, tenant string) (*lease, time.Duration, error) {
	var tok [12]byte
	_, _ = rand.Read(tok[:])
	held := &lease{token: []byte(hex.EncodeToString(tok[:]))}
	ttl := l.lease[kind]
	base := keyPrefix + group + ":"
	for _, slots := range []struct {
		prefix string
		n      int
	}{
		{base + "tenant:" + tenant + ":", l.limits.PerTenant},
		{base + "all:", l.limits.Total},
	} {
		key, err := l.take(ctx, slots.prefix, slots.n, held.token, ttl)
		if err != nil || key == "" {
			l.release(ctx, held)
			return nil, l.snooze(), err
		}
		held.keys = append(held.keys, key)
	}
	n, resetIn, err := l.kv.Incr(ctx, base+"starts:"+tenant, l.limits.Window)
	if err != nil || n > int64(l.limits.Starts) {
		l.release(ctx, held)
		return nil, resetIn + l.snooze(), err
	}
	return held, 0, nil
}

// take sets the first free one of n slot keys under prefix to token, and
// returns its key, or "" when all n are held. It starts at a random slot so
// that concurrent takers spread over the slots instead of all contending
// for the first one.
func (l *limiter) take(ctx context.Context, prefix string, n int, token []byte, ttl time.Duration) (string, error) {
	start := mrand.IntN(n)
	for i := range n {
		key := prefix + strconv.Itoa((start+i)%n)
		ok, err := l.kv.SetNX(ctx, key, token, ttl)
		if err != nil {
			return "", err
		}
		if ok {
			return key, nil
		}
	}
	return "", nil
}

// release gives back every slot of held that still holds its token. It runs
// after the job's context may have ended (a timeout, a stop), so it uses a
// context of its own; a slot it cannot give back frees itself at the end of
// its lease.
func (l *limiter) release(ctx context.Context, held *lease) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	var errs []error
	for _, key := range held.keys {
		if _, err := l.kv.DeleteIf(ctx, key, held.token); err != nil {
			errs = append(errs, err)
		}
	}
	held.keys = nil
	if err := errors.Join(errs...); err != nil {
		l.logger.WarnContext(ctx, "job limits: a slot was not given back and frees itself when its lease ends", "error", err)
	}
}

// snooze draws a delay in [Snooze/2, 3·Snooze/2).
func (l *limiter) snooze() time.Duration {
	s := l.limits.Snooze
	return s/2 + time.Duration(mrand.Int64N(int64(s)))
}
