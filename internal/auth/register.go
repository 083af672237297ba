package auth

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/db"
)

// confirmTTL is how long an email confirmation link works.
const confirmTTL = 48 * time.Hour

// RegisterInput is the sign-up form. There is deliberately no role: the
// person signing up becomes the owner of the brand they create, and nobody
// can choose their own role in someone else's brand.
type RegisterInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Brand    string `json:"brand"`
}

// Register creates the user, their brand and the owner membership in one
// transaction, and queues the confirmation email in the same transaction.
func (s *Service) Register(ctx context.Context, in RegisterInput) (User, brand.Brand, error) {
	limit := SignupPerIP
	limit.N = s.cfg.SignupsPerHour
	if err := s.limits.Allow(ctx, limit, audit.ClientIP(ctx)); err != nil {
		return User{}, brand.Brand{}, err
	}
	in.Email = normalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	in.Brand = strings.TrimSpace(in.Brand)
	fields := map[string]string{}
	if err := checkEmail(in.Email); err != nil {
		fields["email"] = "must be an address like name@example.com"
	}
	if err := s.policy.check(in.Password, in.Email); err != nil {
		e, _ := apperr.As(err)
		fields["password"] = e.Fields["password"]
	}
	if n := len(in.Name); n == 0 || n > 120 {
		fields["name"] = "must be 1 to 120 characters"
	}
	if n := len(in.Brand); n == 0 || n > 120 {
		fields["brand"] = "must be 1 to 120 characters"
	}
	if len(fields) > 0 {
		return User{}, brand.Brand{}, &apperr.Error{Code: apperr.Invalid, Message: "the sign-up form has errors", Fields: fields}
	}
	hash, err := hashPassword(in.Password, s.cfg.cost())
	if err != nil {
		return User{}, brand.Brand{}, err
	}
	id, _ := uuid.NewV7()
	now := db.Time(s.now())
	u := User{ID: id.String(), Email: in.Email, Name: in.Name, HasPassword: true, CreatedAt: now}
	// The token is stored before the transaction (kv may be this very
	// database, and SQLite has one connection); if the sign-up fails it
	// points to no user and simply expires.
	confirmation, err := s.confirmationEmail(ctx, u)
	if err != nil {
		return User{}, brand.Brand{}, err
	}
	var b brand.Brand
	err = s.inTx(ctx, "register", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (email) DO NOTHING`, u.ID, u.Email, u.Name, hash, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &apperr.Error{Code: apperr.Conflict, Message: "an account with this email already exists; log in or reset your password",
				Fields: map[string]string{"email": "is already registered"}}
		}
		if b, err = s.createBrandWithUniqueSlug(ctx, tx, in.Brand); err != nil {
			return err
		}
		if err := s.brands.AddMember(ctx, tx, b.ID, u.ID, brand.Owner); err != nil {
			return err
		}
		if _, err := s.mailer.SendTx(ctx, tx, confirmation); err != nil {
			return err
		}
		s.record(ctx, tx, audit.Event{BrandID: b.ID, UserID: u.ID, Event: audit.Signup, Detail: map[string]any{"email": u.Email}})
		return nil
	})
	return u, b, err
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// createBrandWithUniqueSlug derives a slug from the brand name and adds a
// number when it is taken ("acme", "acme-2", …).
func (s *Service) createBrandWithUniqueSlug(ctx context.Context, tx *sql.Tx, name string) (brand.Brand, error) {
	base := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(base) > 40 {
		base = strings.Trim(base[:40], "-")
	}
	if base == "" {
		base = "brand"
	}
	for i := 1; i <= 50; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		b, err := s.brands.CreateTx(ctx, tx, slug, name)
		if apperr.CodeOf(err) == apperr.Conflict {
			continue
		}
		return b, err
	}
	return brand.Brand{}, apperr.New(apperr.Conflict, "could not find a free address for this brand name; try another name")
}

// confirmationEmail stores a new confirmation token for u and returns the
// email carrying its link.
func (s *Service) confirmationEmail(ctx context.Context, u User) (mail.Message, error) {
	token := newToken("")
	if err := s.kv.Set(ctx, "confirm:"+hashToken(token), []byte(u.ID), confirmTTL); err != nil {
		return mail.Message{}, fmt.Errorf("store confirmation token: %w", err)
	}
	link := s.link("/confirm-email?token=" + token)
	return mail.Message{To: u.Email, Subject: "Confirm your email for Luneo",
		Text: fmt.Sprintf("Hello %s,\n\nConfirm your email address to finish setting up your Luneo account:\n\n%s\n\nThe link works for 48 hours. If you did not sign up, ignore this email.\n", u.Name, link)}, nil
}

// ResendConfirmation queues a new confirmation email (unconfirmed users only).
func (s *Service) ResendConfirmation(ctx context.Context, userID string) error {
	if err := s.limits.Allow(ctx, ConfirmPerIP, audit.ClientIP(ctx)); err != nil {
		return err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil || u.EmailConfirmed {
		return err
	}
	m, err := s.confirmationEmail(ctx, u)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "resend confirmation", func(tx *sql.Tx) error {
		_, err := s.mailer.SendTx(ctx, tx, m)
		return err
	})
}

// ConfirmEmail consumes a confirmation token (single use) and marks the address confirmed.
func (s *Service) ConfirmEmail(ctx context.Context, token string) (User, error) {
	if err := s.limits.Allow(ctx, ConfirmPerIP, audit.ClientIP(ctx)); err != nil {
		return User{}, err
	}
	id, err := s.kv.Take(ctx, "confirm:"+hashToken(token))
	if err != nil {
		return User{}, apperr.New(apperr.Invalid, "this confirmation link is invalid or has expired; ask for a new one from your account page")
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET email_confirmed_at = $2, updated_at = $2 WHERE id = $1 AND email_confirmed_at IS NULL`,
		string(id), s.now().UTC()); err != nil {
		return User{}, fmt.Errorf("confirm email: %w", err)
	}
	s.record(ctx, nil, audit.Event{UserID: string(id), Event: audit.EmailConfirmed})
	return s.UserByID(ctx, string(id))
}
