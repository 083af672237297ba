package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
)

// Endpoint is a brand's webhook endpoint as clients see it: never its secret,
// which is handed out only by CreateEndpoint and RotateSecret.
type Endpoint struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Topics      []string  `json:"topics"`
	Enabled     bool      `json:"enabled"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// EndpointSpec is a new endpoint. Enabled defaults to true.
type EndpointSpec struct {
	URL         string   `json:"url"`
	Topics      []string `json:"topics"`
	Description string   `json:"description"`
	Enabled     *bool    `json:"enabled"`
}

// EndpointPatch changes an endpoint; nil fields stay as they are.
type EndpointPatch struct {
	URL         *string   `json:"url"`
	Topics      *[]string `json:"topics"`
	Description *string   `json:"description"`
	Enabled     *bool     `json:"enabled"`
}

const endpointColumns = `id, url, topics, enabled, description, created_at, updated_at`

func scanEndpoint(row interface{ Scan(...any) error }) (Endpoint, error) {
	var e Endpoint
	var topics string
	if err := row.Scan(&e.ID, &e.URL, &topics, &e.Enabled, &e.Description, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return Endpoint{}, err
	}
	if err := json.Unmarshal([]byte(topics), &e.Topics); err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %s topics: %w", e.ID, err)
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, nil
}

// CreateEndpoint adds an endpoint to the principal's brand and returns it
// with its signing secret, which is shown this once.
func (s *Service) CreateEndpoint(ctx context.Context, p auth.Principal, in EndpointSpec) (Endpoint, string, error) {
	if err := canManage(p); err != nil {
		return Endpoint{}, "", err
	}
	u, err := s.checkURL(in.URL)
	if err != nil {
		return Endpoint{}, "", err
	}
	topics, err := checkTopics(in.Topics)
	if err != nil {
		return Endpoint{}, "", err
	}
	desc, err := checkDescription(in.Description)
	if err != nil {
		return Endpoint{}, "", err
	}
	id, err := db.NewID()
	if err != nil {
		return Endpoint{}, "", err
	}
	now := s.now()
	e := Endpoint{ID: id, URL: u, Topics: topics, Enabled: in.Enabled == nil || *in.Enabled, Description: desc,
		CreatedAt: now, UpdatedAt: now}
	secret := newSecret()
	tj, _ := json.Marshal(topics)
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM webhook_endpoints WHERE brand_id = $1`, p.BrandID).Scan(&n); err != nil {
			return fmt.Errorf("count endpoints: %w", err)
		}
		if n >= MaxEndpoints {
			return apperr.New(apperr.Conflict, "the brand already has %d webhook endpoints, the most it may have; delete one first", MaxEndpoints)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints
			(id, brand_id, url, topics, secret_sealed, enabled, description, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			id, p.BrandID, u, string(tj), s.seal.Seal([]byte(secret), secretContext(id)), e.Enabled, desc, now)
		if err != nil {
			return fmt.Errorf("create webhook endpoint: %w", err)
		}
		return nil
	})
	if err != nil {
		return Endpoint{}, "", err
	}
	s.logger.InfoContext(ctx, "webhook endpoint created", "brand_id", p.BrandID, "endpoint_id", id)
	return e, secret, nil
}

// ListEndpoints returns the brand's endpoints, oldest first (there are at
// most MaxEndpoints).
func (s *Service) ListEndpoints(ctx context.Context, p auth.Principal) ([]Endpoint, error) {
	if err := canManage(p); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints
		WHERE brand_id = $1 ORDER BY id`, p.BrandID)
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	defer rows.Close()
	out := []Endpoint{}
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("list webhook endpoints: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// GetEndpoint returns one of the brand's endpoints.
func (s *Service) GetEndpoint(ctx context.Context, p auth.Principal, id string) (Endpoint, error) {
	if err := canManage(p); err != nil {
		return Endpoint{}, err
	}
	return s.endpoint(ctx, s.db, p.BrandID, id)
}

func (s *Service) endpoint(ctx context.Context, q db.Querier, brandID, id string) (Endpoint, error) {
	e, err := scanEndpoint(q.QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints
		WHERE brand_id = $1 AND id = $2`, brandID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Endpoint{}, apperr.New(apperr.NotFound, "webhook endpoint not found")
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("read webhook endpoint: %w", err)
	}
	return e, nil
}

// UpdateEndpoint changes the URL, topics, description or enabled flag of an
// endpoint. A disabled endpoint receives nothing: neither new events nor the
// retries of earlier ones.
func (s *Service) UpdateEndpoint(ctx context.Context, p auth.Principal, id string, in EndpointPatch) (Endpoint, error) {
	if err := canManage(p); err != nil {
		return Endpoint{}, err
	}
	var e Endpoint
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = s.endpoint(ctx, tx, p.BrandID, id); err != nil {
			return err
		}
		if in.URL != nil {
			if e.URL, err = s.checkURL(*in.URL); err != nil {
				return err
			}
		}
		if in.Topics != nil {
			if e.Topics, err = checkTopics(*in.Topics); err != nil {
				return err
			}
		}
		if in.Description != nil {
			if e.Description, err = checkDescription(*in.Description); err != nil {
				return err
			}
		}
		if in.Enabled != nil {
			e.Enabled = *in.Enabled
		}
		e.UpdatedAt = s.now()
		tj, _ := json.Marshal(e.Topics)
		_, err = tx.ExecContext(ctx, `UPDATE webhook_endpoints SET url = $3, topics = $4, description = $5,
			enabled = $6, updated_at = $7 WHERE brand_id = $1 AND id = $2`,
			p.BrandID, id, e.URL, string(tj), e.Description, e.Enabled, e.UpdatedAt)
		if err != nil {
			return fmt.Errorf("update webhook endpoint: %w", err)
		}
		return nil
	})
	return e, err
}

// DeleteEndpoint removes an endpoint with its delivery log; pending
// deliveries' jobs find nothing to do.
func (s *Service) DeleteEndpoint(ctx context.Context, p auth.Principal, id string) error {
	if err := canManage(p); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE brand_id = $1 AND id = $2`, p.BrandID, id)
	if err != nil {
		return fmt.Errorf("delete webhook endpoint: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "webhook endpoint not found")
	}
	s.logger.InfoContext(ctx, "webhook endpoint deleted", "brand_id", p.BrandID, "endpoint_id", id)
	return nil
}

// RotateSecret replaces an endpoint's signing secret and returns the new
// one, shown this once. Deliveries from now on are signed with it, retries
// of earlier events included.
func (s *Service) RotateSecret(ctx context.Context, p auth.Principal, id string) (string, error) {
	if err := canManage(p); err != nil {
		return "", err
	}
	secret := newSecret()
	res, err := s.db.ExecContext(ctx, `UPDATE webhook_endpoints SET secret_sealed = $3, updated_at = $4
		WHERE brand_id = $1 AND id = $2`, p.BrandID, id, s.seal.Seal([]byte(secret), secretContext(id)), s.now())
	if err != nil {
		return "", fmt.Errorf("rotate webhook secret: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", apperr.New(apperr.NotFound, "webhook endpoint not found")
	}
	s.logger.InfoContext(ctx, "webhook secret rotated", "brand_id", p.BrandID, "endpoint_id", id)
	return secret, nil
}
