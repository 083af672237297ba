package brand_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestBrandStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := brand.NewStore(d)
		b, err := s.Create(ctx, "acme", "  Acme Mugs ")
		if err != nil {
			t.Fatal(err)
		}
		if b.Name != "Acme Mugs" || b.ID == "" {
			t.Fatalf("created %+v", b)
		}
		got, err := s.BySlug(ctx, "acme")
		if err != nil || got.ID != b.ID || !got.CreatedAt.Equal(b.CreatedAt) {
			t.Fatalf("BySlug = %+v, %v; want %+v", got, err, b)
		}
		if got, err := s.ByID(ctx, b.ID); err != nil || got.Slug != "acme" {
			t.Fatalf("ByID = %+v, %v", got, err)
		}
		if _, err := s.Create(ctx, "acme", "Other"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("duplicate slug: %v", err)
		}
		if _, err := s.BySlug(ctx, "nope"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("missing: %v", err)
		}
		for _, bad := range []string{"", "-a", "a-", "UPPER", "sp ace", "a/b"} {
			_, err := s.Create(ctx, bad, "x")
			if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Fields["slug"] == "" {
				t.Errorf("slug %q: %v", bad, err)
			}
		}
		if n, err := s.Count(ctx); err != nil || n != 1 {
			t.Fatalf("count %d %v", n, err)
		}
	})
}

// MembersWho lists only the members whose role may do the action, owners
// first.
func TestMembersWho(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := brand.NewStore(d)
		b, err := s.Create(ctx, "team", "Team")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			id   string
			role brand.Role
		}{{"u-viewer", brand.Viewer}, {"u-admin", brand.Admin}, {"u-editor", brand.Editor}, {"u-owner", brand.Owner}} {
			if _, err := d.ExecContext(ctx, `INSERT INTO users (id, email, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
				m.id, m.id+"@example.com", m.id, db.Time(time.Now())); err != nil {
				t.Fatal(err)
			}
			if err := s.AddMember(ctx, d, b.ID, m.id, m.role); err != nil {
				t.Fatal(err)
			}
		}
		for action, want := range map[brand.Action][]string{
			brand.OrdersWrite:        {"u-owner", "u-admin"},
			brand.IntegrationsManage: {"u-owner", "u-admin"},
			brand.OrdersRead:         {"u-owner", "u-admin", "u-editor", "u-viewer"},
			brand.AuditRead:          {"u-owner"},
		} {
			ms, err := s.MembersWho(ctx, b.ID, action)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.UserID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("MembersWho(%s) = %v, want %v", action, got, want)
			}
		}
	})
}
