package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Migrate applies Luneo's and River's migrations.
func (a *App) Migrate(ctx context.Context) error {
	n, err := a.DB.Migrate(ctx)
	if err != nil {
		return err
	}
	m, err := queue.Migrate(ctx, a.DB, obs.Quieter(a.Logger, slog.LevelWarn))
	if err != nil {
		return err
	}
	a.Logger.InfoContext(ctx, "migrations applied", "database", a.DB.Dialect, "luneo", n, "queue", m)
	return nil
}

// CheckSchema refuses to run serve or worker on a database that `luneo
// migrate` has not brought up to date: failing at start is better than
// failing on the first request that touches a missing column.
func (a *App) CheckSchema(ctx context.Context) error {
	migs, err := db.Migrations(a.DB.Dialect)
	if err != nil {
		return err
	}
	v, err := a.DB.Version(ctx)
	if err == nil && v >= migs[len(migs)-1].Version {
		err = a.Queue.Ping(ctx)
	} else if err == nil {
		err = fmt.Errorf("schema version %d, this binary needs %d", v, migs[len(migs)-1].Version)
	}
	if err != nil {
		return fmt.Errorf("the database is not migrated (%v): run luneo migrate first", err)
	}
	return nil
}

// SeedDemo creates, on the first dev start, a demo account owning a demo
// brand, with a random password kept in the data folder (0600) so a
// developer can log in at once.
func (a *App) SeedDemo(ctx context.Context) (email, password string, err error) {
	path := filepath.Join(a.Config.DataDir, "demo-login.txt")
	if b, err := os.ReadFile(path); err == nil {
		email, password, _ = strings.Cut(strings.TrimSpace(string(b)), " ")
		return email, password, nil
	}
	n, err := a.Brands.Count(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	email, password = "demo@luneo.localhost", "demo-"+randomWord()
	u, b, err := a.Auth.Register(ctx, auth.RegisterInput{Email: email, Password: password, Name: "Demo User", Brand: "Demo Brand"})
	if err != nil {
		return "", "", fmt.Errorf("seed demo account: %w", err)
	}
	if _, _, err := a.seedDemoProduct(ctx, auth.Principal{UserID: u.ID, BrandID: b.ID, Role: brand.Owner}); err != nil {
		return "", "", err
	}
	if _, err := a.DB.ExecContext(ctx, `UPDATE users SET email_confirmed_at = $2 WHERE id = $1`, u.ID, time.Now().UTC()); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(path, []byte(email+" "+password+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("write %s: %w", path, err)
	}
	return email, password, nil
}

func randomWord() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
