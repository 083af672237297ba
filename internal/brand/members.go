package brand

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Member is a user's membership in a brand.
type Member struct {
	UserID   string    `json:"user_id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
}

// Membership is a brand as one of its members sees it.
type Membership struct {
	Brand Brand `json:"brand"`
	Role  Role  `json:"role"`
}

// AddMember makes userID a member of brandID with role (inside ex's transaction).
func (s *Store) AddMember(ctx context.Context, ex db.Querier, brandID, userID string, role Role) error {
	_, err := ex.ExecContext(ctx, `INSERT INTO memberships (brand_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (brand_id, user_id) DO NOTHING`, brandID, userID, string(role), s.now().UTC())
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}

// RoleOf returns userID's role in brandID; not being a member is NotFound, so
// a brand you do not belong to looks exactly like one that does not exist.
func (s *Store) RoleOf(ctx context.Context, brandID, userID string) (Role, error) {
	var r string
	err := s.db.QueryRowContext(ctx, `SELECT role FROM memberships WHERE brand_id = $1 AND user_id = $2`, brandID, userID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "brand not found")
	}
	if err != nil {
		return "", fmt.Errorf("read role: %w", err)
	}
	return Role(r), nil
}

// Members lists a brand's members, owners first.
func (s *Store) Members(ctx context.Context, brandID string) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.email, u.name, m.role, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.brand_id = $1
		ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'editor' THEN 2 ELSE 3 END, u.email`, brandID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.UserID, &m.Email, &m.Name, &m.Role, &m.JoinedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MembersWho lists the brand's members whose role may perform action,
// owners first: who is told of what they can act on.
func (s *Store) MembersWho(ctx context.Context, brandID string, action Action) ([]Member, error) {
	all, err := s.Members(ctx, brandID)
	if err != nil {
		return nil, err
	}
	var out []Member
	for _, m := range all {
		if Can(m.Role, action) {
			out = append(out, m)
		}
	}
	return out, nil
}

// BrandsOf lists the brands a user belongs to, oldest membership first.
func (s *Store) BrandsOf(ctx context.Context, userID string) ([]Membership, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, b.slug, b.name, b.created_at, m.role
		FROM memberships m JOIN brands b ON b.id = m.brand_id WHERE m.user_id = $1 ORDER BY m.created_at, b.slug`, userID)
	if err != nil {
		return nil, fmt.Errorf("list brands of user: %w", err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.Brand.ID, &m.Brand.Slug, &m.Brand.Name, &m.Brand.CreatedAt, &m.Role); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ChangeRole sets a member's role and returns the previous one. Only owners
// grant or take away the owner role, and a brand always keeps an owner.
func (s *Store) ChangeRole(ctx context.Context, ex db.Querier, brandID string, actor Role, userID string, role Role) (Role, error) {
	old, err := roleIn(ctx, ex, brandID, userID)
	if err != nil {
		return "", err
	}
	if (old == Owner || role == Owner) && actor != Owner {
		return "", apperr.New(apperr.Forbidden, "only owners can grant or take away the owner role")
	}
	if old == role {
		return old, nil
	}
	if err := s.guardLastOwner(ctx, ex, brandID, old); err != nil {
		return "", err
	}
	if _, err := ex.ExecContext(ctx, `UPDATE memberships SET role = $3 WHERE brand_id = $1 AND user_id = $2`, brandID, userID, string(role)); err != nil {
		return "", fmt.Errorf("change role: %w", err)
	}
	return old, nil
}

// RemoveMember takes userID out of the brand (admins cannot remove owners)
// and returns the role they had.
func (s *Store) RemoveMember(ctx context.Context, ex db.Querier, brandID string, actor Role, userID string) (Role, error) {
	old, err := roleIn(ctx, ex, brandID, userID)
	if err != nil {
		return "", err
	}
	if old == Owner && actor != Owner {
		return "", apperr.New(apperr.Forbidden, "only owners can remove an owner")
	}
	if err := s.guardLastOwner(ctx, ex, brandID, old); err != nil {
		return "", err
	}
	if _, err := ex.ExecContext(ctx, `DELETE FROM memberships WHERE brand_id = $1 AND user_id = $2`, brandID, userID); err != nil {
		return "", fmt.Errorf("remove member: %w", err)
	}
	return old, nil
}

// guardLastOwner refuses to take the owner role from the last owner.
func (s *Store) guardLastOwner(ctx context.Context, ex db.Querier, brandID string, old Role) error {
	if old != Owner {
		return nil
	}
	var owners int
	if err := ex.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE brand_id = $1 AND role = 'owner'`, brandID).Scan(&owners); err != nil {
		return fmt.Errorf("count owners: %w", err)
	}
	if owners <= 1 {
		return apperr.New(apperr.Conflict, "a brand must keep at least one owner: make someone else owner first")
	}
	return nil
}

func roleIn(ctx context.Context, ex db.Querier, brandID, userID string) (Role, error) {
	var r string
	err := ex.QueryRowContext(ctx, `SELECT role FROM memberships WHERE brand_id = $1 AND user_id = $2`, brandID, userID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "member not found")
	}
	if err != nil {
		return "", fmt.Errorf("read role: %w", err)
	}
	return Role(r), nil
}
