package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
)

// mfaTokenTTL is how long the second step of a login may take.
const mfaTokenTTL = 5 * time.Minute

// LoginResult is either tokens or a request for the second factor.
type LoginResult struct {
	Tokens      *Tokens
	MFARequired bool
	MFAToken    string
	// Unconfirmed is set when the user logged in without having confirmed
	// their email (allowed in dev): the dashboard shows a banner.
	Unconfirmed bool
	// Claimed is set when an external login proved the email of an account
	// nobody had confirmed: its password, MFA, sessions, other logins and
	// API keys were removed (see takeover.go), which the user is told.
	Claimed bool
}

var errBadLogin = apperr.New(apperr.Unauthorized, "the email or password is wrong")

// Login checks an email and password. Whether or not the account exists, it
// does one Argon2id verification and answers the same way, so neither the
// message nor the timing tells an attacker which emails are registered.
func (s *Service) Login(ctx context.Context, email, password string) (LoginResult, error) {
	email = normalizeEmail(email)
	if err := s.limits.Allow(ctx, LoginPerIP, audit.ClientIP(ctx)); err != nil {
		return LoginResult{}, err
	}
	if err := s.limits.Allow(ctx, LoginPerAccount, email); err != nil {
		return LoginResult{}, err
	}
	if len(password) > MaxPasswordLen {
		return LoginResult{}, errBadLogin
	}
	u, err := userByEmail(ctx, s.db, email)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return LoginResult{}, err
	}
	hash := u.passwordHash
	if hash == "" {
		hash = s.dummyHash
	}
	ok, verr := verifyPassword(hash, password)
	if verr != nil || !ok || u.ID == "" || u.passwordHash == "" {
		s.record(ctx, nil, audit.Event{UserID: u.ID, Event: audit.LoginFailed, Detail: map[string]any{"email": email}})
		return LoginResult{}, errBadLogin
	}
	if !u.EmailConfirmed && s.cfg.RequireConfirmedEmail {
		return LoginResult{}, apperr.New(apperr.Forbidden, "confirm your email address first: we sent you a link (check your spam folder, or ask for a new one)")
	}
	return s.afterFirstFactor(ctx, u, "password")
}

// checkPassword is the check of a known account's password outside login
// (re-authentication, changing the password): rate limited per account as
// logins are, and bounded in length before any hashing (no stored password
// is longer than MaxPasswordLen, so a longer one is simply wrong).
func (s *Service) checkPassword(ctx context.Context, u User, password string) (bool, error) {
	if err := s.limits.Allow(ctx, LoginPerAccount, u.Email); err != nil {
		return false, err
	}
	if len(password) > MaxPasswordLen {
		return false, nil
	}
	ok, _ := verifyPassword(u.passwordHash, password)
	return ok, nil
}

// afterFirstFactor asks for the second factor when the user has one, or
// starts the session.
func (s *Service) afterFirstFactor(ctx context.Context, u User, via string) (LoginResult, error) {
	if u.MFAEnabled {
		token := newToken("")
		if err := s.kv.Set(ctx, "mfa:"+hashToken(token), []byte(u.ID+"|"+via), mfaTokenTTL); err != nil {
			return LoginResult{}, fmt.Errorf("store mfa token: %w", err)
		}
		return LoginResult{MFARequired: true, MFAToken: token}, nil
	}
	t, err := s.startSession(ctx, u, via)
	if err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Tokens: &t, Unconfirmed: !u.EmailConfirmed}, nil
}

// LoginMFA finishes a login with a TOTP code or a backup code. The MFA token
// survives wrong codes (the user may mistype) but is consumed on success;
// attempts are rate limited per account.
func (s *Service) LoginMFA(ctx context.Context, mfaToken, code string) (LoginResult, error) {
	key := "mfa:" + hashToken(mfaToken)
	raw, err := s.kv.Get(ctx, key)
	if err != nil {
		return LoginResult{}, apperr.New(apperr.Unauthorized, "this login step has expired; start again with your email and password")
	}
	userID, via, _ := cutLast(string(raw), "|")
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return LoginResult{}, err
	}
	if !u.MFAEnabled {
		// Two-factor was turned off (or the account claimed) meanwhile.
		return LoginResult{}, apperr.New(apperr.Unauthorized, "this login step has expired; start again with your email and password")
	}
	if err := s.checkCode(ctx, u, code, true); err != nil {
		return LoginResult{}, err
	}
	if _, err := s.kv.Take(ctx, key); err != nil {
		return LoginResult{}, apperr.New(apperr.Unauthorized, "this login step was already used; start again")
	}
	t, err := s.startSession(ctx, u, via+"+mfa")
	if err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Tokens: &t, Unconfirmed: !u.EmailConfirmed}, nil
}

func cutLast(s, sep string) (string, string, bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}
