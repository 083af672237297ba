package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
)

// apiKeyPrefix makes keys recognisable (in logs, secret scanners, support).
const apiKeyPrefix = "lk_"

// APIKey describes a key; the secret itself is only ever returned once.
type APIKey struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Prefix     string         `json:"prefix"`
	Scopes     []brand.Action `json:"scopes"`
	CreatedAt  time.Time      `json:"created_at"`
	LastUsedAt *time.Time     `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time     `json:"revoked_at,omitempty"`
}

// CreateAPIKey makes a key for the principal's brand and returns its secret.
func (s *Service) CreateAPIKey(ctx context.Context, p Principal, name string, scopes []string) (APIKey, string, error) {
	if err := p.Require(brand.APIKeysManage); err != nil {
		return APIKey{}, "", err
	}
	name = strings.TrimSpace(name)
	fields := map[string]string{}
	if n := len(name); n == 0 || n > 80 {
		fields["name"] = "must be 1 to 80 characters"
	}
	var parsed []brand.Action
	for _, sc := range scopes {
		a, ok := brand.ParseScope(sc)
		if !ok {
			fields["scopes"] = fmt.Sprintf("%q is not a scope; choose from %v", sc, brand.Scopes)
			break
		}
		parsed = append(parsed, a)
	}
	if len(parsed) == 0 && fields["scopes"] == "" {
		fields["scopes"] = "choose at least one scope"
	}
	if len(fields) > 0 {
		return APIKey{}, "", &apperr.Error{Code: apperr.Invalid, Message: "invalid API key", Fields: fields}
	}
	secret := newToken(apiKeyPrefix)
	id, _ := uuid.NewV7()
	k := APIKey{ID: id.String(), Name: name, Prefix: secret[:len(apiKeyPrefix)+6], Scopes: parsed, CreatedAt: db.Time(s.now())}
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, brand_id, name, prefix, secret_hash, scopes, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, k.ID, p.BrandID, k.Name, k.Prefix, hashToken(secret), joinScopes(parsed), p.UserID, k.CreatedAt)
	if err != nil {
		return APIKey{}, "", fmt.Errorf("create api key: %w", err)
	}
	s.audited(ctx, nil, p, audit.APIKeyCreated, map[string]any{"key": k.ID, "name": k.Name, "scopes": scopes})
	return k, secret, nil
}

// APIKeys lists the brand's keys, newest first (revoked ones included).
func (s *Service) APIKeys(ctx context.Context, p Principal) ([]APIKey, error) {
	if err := p.Require(brand.APIKeysManage); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at
		FROM api_keys WHERE brand_id = $1 ORDER BY created_at DESC`, p.BrandID)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		var k APIKey
		var scopes string
		if err := rows.Scan(&k.ID, &k.Name, &k.Prefix, &scopes, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt); err != nil {
			return nil, err
		}
		k.Scopes = splitScopes(scopes)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey stops a key of the principal's brand from working.
func (s *Service) RevokeAPIKey(ctx context.Context, p Principal, id string) error {
	if err := p.Require(brand.APIKeysManage); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND brand_id = $2 AND revoked_at IS NULL`,
		id, p.BrandID, s.now().UTC())
	if err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "API key not found")
	}
	s.audited(ctx, nil, p, audit.APIKeyRevoked, map[string]any{"key": id})
	return nil
}

func (s *Service) authenticateAPIKey(ctx context.Context, secret string) (Principal, error) {
	var p Principal
	var scopes string
	var lastUsed sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT id, brand_id, scopes, last_used_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`,
		hashToken(secret)).Scan(&p.APIKeyID, &p.BrandID, &scopes, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		if lerr := s.limits.Allow(ctx, APIKeyAuthFailIP, audit.ClientIP(ctx)); lerr != nil {
			return Principal{}, lerr
		}
		return Principal{}, apperr.New(apperr.Unauthorized, "the API key is invalid or revoked")
	}
	if err != nil {
		return Principal{}, fmt.Errorf("check api key: %w", err)
	}
	p.Scopes = splitScopes(scopes)
	// Write last-used at most once a minute: keys may call many times a second.
	now := s.now().UTC()
	if !lastUsed.Valid || now.Sub(lastUsed.Time) > time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, p.APIKeyID, now); err != nil {
			s.logger.WarnContext(ctx, "record api key use", "error", err)
		}
	}
	return p, nil
}

func joinScopes(a []brand.Action) string {
	s := make([]string, len(a))
	for i, x := range a {
		s[i] = string(x)
	}
	return strings.Join(s, " ")
}

func splitScopes(s string) []brand.Action {
	var out []brand.Action
	for _, f := range strings.Fields(s) {
		out = append(out, brand.Action(f))
	}
	return out
}
