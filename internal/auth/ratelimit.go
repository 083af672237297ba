package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/kv"
)

// Limit is a fixed-window rate limit: at most N events per Window.
type Limit struct {
	Name   string
	N      int64
	Window time.Duration
}

// The limits on abusable account operations, per IP and per account. They
// live in the kv store, so they hold across every serve process.
var (
	LoginPerIP       = Limit{"login-ip", 30, 10 * time.Minute}
	LoginPerAccount  = Limit{"login-account", 10, 10 * time.Minute}
	MFAPerAccount    = Limit{"mfa-account", 10, 10 * time.Minute}
	SignupPerIP      = Limit{"signup-ip", 20, time.Hour} // N is Config.SignupsPerHour when set
	ResetPerIP       = Limit{"reset-ip", 10, time.Hour}
	ResetPerAccount  = Limit{"reset-account", 3, time.Hour}
	ConfirmPerIP     = Limit{"confirm-ip", 30, time.Hour}
	InvitePerBrand   = Limit{"invite-brand", 50, time.Hour}
	RefreshPerIP     = Limit{"refresh-ip", 300, 10 * time.Minute}
	APIKeyAuthFailIP = Limit{"apikey-fail-ip", 50, 10 * time.Minute}
)

// Limiter counts events in the kv store.
type Limiter struct{ kv kv.Store }

// NewLimiter returns a limiter over store.
func NewLimiter(store kv.Store) *Limiter { return &Limiter{kv: store} }

// Allow counts one event for subject under l, and returns an
// apperr.RateLimited with RetryAfter once the limit is passed.
func (r *Limiter) Allow(ctx context.Context, l Limit, subject string) error {
	n, reset, err := r.kv.Incr(ctx, "rl:"+l.Name+":"+subject, l.Window)
	if err != nil {
		return fmt.Errorf("rate limit %s: %w", l.Name, err)
	}
	if n > l.N {
		return &apperr.Error{Code: apperr.RateLimited, RetryAfter: reset,
			Message: fmt.Sprintf("too many attempts; try again in %s", roundUp(reset))}
	}
	return nil
}

func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.999))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()+0.999))
}
