package embed

import (
	"context"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// Action is a shopper action that costs the server something (a decode, a
// drawing, a stored version) and so is rate limited.
type Action string

// The rate-limited shopper actions.
const (
	Upload  Action = "upload"  // POST /api/embed/assets
	Preview Action = "preview" // POST /api/embed/preview
	Save    Action = "save"    // a new design or a new version
)

// Rate is how many times one widget session (the token's sid) and one
// client IP address may do an action per Window. The IP's count is kept
// apart from the session's, so a new handshake (a new sid) starts a new
// session count but not a new IP count.
type Rate struct {
	PerSession int64
	PerIP      int64
	Window     time.Duration
}

// Limits are the rates of the shopper actions; a zero Rate is its default.
type Limits struct {
	Upload, Preview, Save Rate
}

// DefaultLimits are the rates of docs/embed.md: generous for a person
// designing, low enough that a script burns out fast.
func DefaultLimits() Limits {
	return Limits{
		Upload:  Rate{PerSession: 20, PerIP: 60, Window: 10 * time.Minute},
		Preview: Rate{PerSession: 240, PerIP: 1200, Window: time.Minute},
		Save:    Rate{PerSession: 30, PerIP: 120, Window: 10 * time.Minute},
	}
}

// ScaleIP multiplies the per-IP allowances by factor (at least 1): a
// deployment whose shoppers share few addresses (a load bench, a
// carrier-grade NAT) raises them without touching the per-session ones.
func (l Limits) ScaleIP(factor int64) Limits {
	factor = max(factor, 1)
	l.Upload.PerIP *= factor
	l.Preview.PerIP *= factor
	l.Save.PerIP *= factor
	return l
}

// withDefaults fills each zero Rate with its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, p := range []struct{ got, def *Rate }{{&l.Upload, &d.Upload}, {&l.Preview, &d.Preview}, {&l.Save, &d.Save}} {
		if *p.got == (Rate{}) {
			*p.got = *p.def
		}
	}
	return l
}

// rate returns the Rate of act.
func (l Limits) rate(act Action) (Rate, bool) {
	switch act {
	case Upload:
		return l.Upload, true
	case Preview:
		return l.Preview, true
	case Save:
		return l.Save, true
	}
	return Rate{}, false
}

// Limits returns the rates the service enforces.
func (s *Service) Limits() Limits { return s.limits }

// Allow counts one act by widget session sid from client address ip, and
// returns an apperr.RateLimited (429 with Retry-After) once either the
// session's or the address's allowance is spent. Both are counted on
// every call, so a session that keeps going past its own limit still uses
// up its address's.
func (s *Service) Allow(ctx context.Context, act Action, sid, ip string) error {
	r, ok := s.limits.rate(act)
	if !ok {
		return fmt.Errorf("embed: no rate limit for %q", act)
	}
	var errIP error
	if ip != "" {
		errIP = s.limiter.Allow(ctx, auth.Limit{Name: "embed-" + string(act) + "-ip", N: r.PerIP, Window: r.Window}, ip)
	}
	errSession := s.limiter.Allow(ctx, auth.Limit{Name: "embed-" + string(act) + "-session", N: r.PerSession, Window: r.Window}, sid)
	if errSession != nil {
		return limited(act, errSession)
	}
	return limited(act, errIP)
}

// limited words a limiter refusal for a shopper, keeping its Retry-After.
func limited(act Action, err error) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Code != apperr.RateLimited {
		return err
	}
	what := map[Action]string{Upload: "image uploads", Preview: "previews", Save: "saves"}[act]
	secs := int(ae.RetryAfter.Seconds() + 0.999)
	return &apperr.Error{Code: apperr.RateLimited, RetryAfter: ae.RetryAfter,
		Message: fmt.Sprintf("too many %s for now; try again in %d seconds", what, max(secs, 1))}
}
