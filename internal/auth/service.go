// Package auth is accounts and authentication: sign-up with email
// confirmation, Argon2id passwords, login with optional TOTP second factor,
// sessions as refresh-token families (rotation and reuse detection), JWT
// access tokens, password reset, external identities (OIDC) and brand API
// keys. Authorization (who may do what in a brand) is brand.Can.
package auth

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/luneo/luneo/internal/platform/seal"
	"log/slog"
	"time"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
)

// Config tunes the service.
type Config struct {
	// Secret is LUNEO_SECRET; PreviousSecrets still verify old access tokens.
	Secret          string
	PreviousSecrets []string
	// BaseURL prefixes links in emails (confirmation, reset, invitations).
	BaseURL string
	// RequireConfirmedEmail refuses logins until the address is confirmed.
	RequireConfirmedEmail bool
	// Issuer names us in tokens and authenticator apps.
	Issuer string
	// SignupsPerHour limits sign-ups per IP address (default 20).
	SignupsPerHour int64
	// Now is the clock (time.Now when nil); tests move it forward.
	Now func() time.Time
	// Seal encrypts TOTP seeds at rest; nil derives one from Secret and the
	// first of PreviousSecrets.
	Seal *seal.Ring
	// WeakPasswordHashesForTests hashes new passwords with a token
	// Argon2id cost. Test harnesses only: no configuration variable sets it.
	WeakPasswordHashesForTests bool
}

// Mailer queues an email in the caller's transaction.
type Mailer interface {
	SendTx(ctx context.Context, tx *sql.Tx, m mail.Message) (string, error)
}

// Service implements every account operation.
type Service struct {
	cfg    Config
	db     *db.DB
	kv     kv.Store
	brands *brand.Store
	audit  *audit.Log
	mailer Mailer
	logger *slog.Logger
	keys   *keyring
	sealer *seal.Ring
	policy *passwordPolicy
	limits *Limiter
	now    func() time.Time
	// dummyHash is verified against when an email is unknown, so a login
	// takes the same time whether or not the account exists.
	dummyHash string
}

// New builds the service.
func New(cfg Config, d *db.DB, store kv.Store, brands *brand.Store, log *audit.Log, mailer Mailer, logger *slog.Logger) (*Service, error) {
	if cfg.Issuer == "" {
		cfg.Issuer = "Luneo"
	}
	if cfg.SignupsPerHour <= 0 {
		cfg.SignupsPerHour = SignupPerIP.N
	}
	keys, err := newKeyring(cfg.BaseURL, append([]string{cfg.Secret}, cfg.PreviousSecrets...)...)
	if err != nil {
		return nil, err
	}
	sl := cfg.Seal
	if sl == nil {
		if sl, err = seal.New(cfg.Secret, first(cfg.PreviousSecrets)); err != nil {
			return nil, err
		}
	}
	dummy, err := hashPassword("luneo dummy password for timing", cfg.cost())
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{cfg: cfg, db: d, kv: store, brands: brands, audit: log, mailer: mailer, logger: logger,
		keys: keys, sealer: sl, policy: newPasswordPolicy(), limits: NewLimiter(store), now: now, dummyHash: dummy}, nil
}

// Limiter exposes the rate limiter (the HTTP layer limits other routes with it).
func (s *Service) Limiter() *Limiter { return s.limits }

// link builds an absolute link to a dashboard page.
func (s *Service) link(path string) string { return s.cfg.BaseURL + path }

// record writes an audit event, logging (not failing) when it cannot.
func (s *Service) record(ctx context.Context, ex db.Querier, e audit.Event) {
	if err := s.audit.Record(ctx, ex, e); err != nil {
		s.logger.ErrorContext(ctx, "audit", "error", err)
	}
}

// inTx runs fn in a transaction and wraps its error with what.
func (s *Service) inTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	if err := s.db.InTx(ctx, fn); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// first is the first of list, "" when it is empty.
func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
