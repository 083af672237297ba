package shopify

import (
	"bytes"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/kv"
)

// VerifyQuery checks a query Shopify signed (the OAuth callback, the
// embedded app's launch URL), in this order: its HMAC first (nothing else
// is read from a query that is not Shopify's), then its timestamp, which
// must be within MaxQueryAge in the past and MaxQueryAhead in the future.
// Either failure is a 401.
func VerifyQuery(secret string, q url.Values, now time.Time) error {
	if !ValidQueryHMAC(secret, q) {
		return apperr.New(apperr.Unauthorized, "the request's Shopify signature (hmac) is missing or wrong")
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		return apperr.New(apperr.Unauthorized, "the request's Shopify timestamp is missing")
	}
	at := time.Unix(ts, 0)
	if now.Sub(at) > MaxQueryAge || at.Sub(now) > MaxQueryAhead {
		return apperr.New(apperr.Unauthorized, "the request's Shopify timestamp is stale; start again")
	}
	return nil
}

// Callback finishes an install from Shopify's redirect: the query's
// signature and timestamp (VerifyQuery), then the nonce in state (taken
// from the kv store whatever happens next, so it serves once) bound to
// this browser (binding, BrowserBinding of the install cookie) and to the
// shop, the shop domain again, and the caller's role, still owner or admin.
// Then Shopify's side: the code is exchanged for an offline access token,
// the granted scopes must cover the requested ones, the shop's domains are
// read and the operational webhooks registered. Only then is anything
// written, in one transaction: the installation (token sealed) and the
// store's origins in the brand's embed settings. A failure at any step
// leaves nothing of this install in Luneo (the token Shopify issued is
// simply not kept; installing again retries everything, idempotently).
func (s *Service) Callback(ctx context.Context, q url.Values, binding string) (Installation, error) {
	if err := VerifyQuery(s.cfg.APISecret, q, s.cfg.Now()); err != nil {
		return Installation{}, err
	}
	st, err := s.takeNonce(ctx, q.Get("state"))
	if err != nil {
		return Installation{}, err
	}
	if binding == "" || subtle.ConstantTimeCompare([]byte(binding), []byte(st.Binding)) != 1 {
		return Installation{}, apperr.New(apperr.Forbidden, "this install was started in another browser; start it again from the dashboard")
	}
	shop := q.Get("shop")
	if !ValidShop(shop) {
		return Installation{}, apperr.New(apperr.Invalid, "shop %q is not a Shopify store domain", trim(shop))
	}
	if shop != st.Shop {
		return Installation{}, apperr.New(apperr.Forbidden, "this install was started for another store; start it again from the dashboard")
	}
	if err := s.requireManager(ctx, st.BrandID, st.UserID); err != nil {
		return Installation{}, err
	}
	code := q.Get("code")
	if code == "" {
		return Installation{}, apperr.New(apperr.Invalid, "Shopify's redirect carries no code")
	}
	token, granted, err := s.exchange(ctx, shop, code)
	if err != nil {
		return Installation{}, err
	}
	if missing := MissingScopes(s.cfg.Scopes, granted); len(missing) > 0 {
		return Installation{}, apperr.New(apperr.Forbidden, "the store granted %q but Luneo needs %s; nothing was installed",
			strings.Join(granted, ","), strings.Join(missing, ", "))
	}
	info, err := s.shopInfo(ctx, shop, token)
	if err != nil {
		return Installation{}, err
	}
	if err := s.registerWebhooks(ctx, shop, token); err != nil {
		return Installation{}, err
	}
	return s.save(ctx, st.BrandID, shop, token, granted, info)
}

// takeNonce consumes state's nonce: taken before it is compared with
// anything, so each nonce is tried exactly once.
func (s *Service) takeNonce(ctx context.Context, state string) (installState, error) {
	expired := apperr.New(apperr.Unauthorized, "this install has expired or was already used; start it again from the dashboard")
	if state == "" || len(state) > 64 {
		return installState{}, expired
	}
	raw, err := s.kv.Take(ctx, noncePrefix+state)
	switch {
	case errors.Is(err, kv.ErrNotFound), errors.Is(err, kv.ErrInvalidKey):
		return installState{}, expired
	case err != nil:
		return installState{}, fmt.Errorf("take install nonce: %w", err)
	}
	var st installState
	if err := json.Unmarshal(raw, &st); err != nil {
		return installState{}, fmt.Errorf("decode install nonce: %w", err)
	}
	return st, nil
}

// exchange trades the authorization code for the shop's offline access
// token and the scopes it grants.
func (s *Service) exchange(ctx context.Context, shop, code string) (string, []string, error) {
	body, _ := json.Marshal(map[string]string{"client_id": s.cfg.APIKey, "client_secret": s.cfg.APISecret, "code": code})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.AdminBase(shop)+"/admin/oauth/access_token", bytes.NewReader(body))
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return "", nil, apperr.Wrap(apperr.Unavailable, err, "Shopify did not answer the token exchange; try installing again")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminAnswer))
	if err != nil {
		return "", nil, apperr.Wrap(apperr.Unavailable, err, "Shopify's token answer was cut short; try installing again")
	}
	if resp.StatusCode != http.StatusOK {
		return "", nil, errShopify("the token exchange answered %d; try installing again", resp.StatusCode)
	}
	var out struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.AccessToken == "" {
		return "", nil, errShopify("the token exchange gave no access token")
	}
	return out.AccessToken, splitScopes(out.Scope), nil
}

// splitScopes reads Shopify's comma-separated scope list.
func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Split(s, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			out = append(out, sc)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MissingScopes lists the requested scopes granted does not cover. A
// write_x scope covers read_x (Shopify grants the read with the write and
// may list only the write), and unauthenticated_write_x covers
// unauthenticated_read_x the same way.
func MissingScopes(requested, granted []string) []string {
	var missing []string
	for _, r := range requested {
		if slices.Contains(granted, r) {
			continue
		}
		if w, ok := impliedBy(r); ok && slices.Contains(granted, w) {
			continue
		}
		missing = append(missing, r)
	}
	return missing
}

// impliedBy returns the write scope that implies a read scope.
func impliedBy(scope string) (string, bool) {
	for _, p := range []string{"unauthenticated_", ""} {
		if rest, ok := strings.CutPrefix(scope, p+"read_"); ok {
			return p + "write_" + rest, true
		}
	}
	return "", false
}

// save writes the installation and the store's origins in one
// transaction. A shop still installed for another brand is refused (409):
// it must be uninstalled (or disconnected) there first.
func (s *Service) save(ctx context.Context, brandID, shop, token string, granted []string, info ShopInfo) (Installation, error) {
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)
	sealed := s.ring.Seal([]byte(token), TokenContext(shop))
	origins := []string{"https://" + shop}
	if info.PrimaryHost != "" && info.PrimaryHost != shop {
		origins = append(origins, "https://"+info.PrimaryHost)
	}
	scopes := strings.Join(granted, ",")
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var owner string
		var gone sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT brand_id, uninstalled_at FROM shopify_shops WHERE shop = $1`, shop).Scan(&owner, &gone)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case owner != brandID && !gone.Valid:
			return apperr.New(apperr.Conflict, "the store %s is connected to another Luneo brand; disconnect it there first", shop)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO shopify_shops
			(shop, brand_id, access_token, scopes, primary_domain, installed_at, uninstalled_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, NULL, $6)
			ON CONFLICT (shop) DO UPDATE SET brand_id = excluded.brand_id, access_token = excluded.access_token,
				scopes = excluded.scopes, primary_domain = excluded.primary_domain, installed_at = excluded.installed_at,
				uninstalled_at = NULL, updated_at = excluded.updated_at`,
			shop, brandID, sealed, scopes, info.PrimaryHost, now); err != nil {
			return fmt.Errorf("save installation: %w", err)
		}
		if _, err := s.embed.AddOriginsTx(ctx, tx, brandID, origins); err != nil {
			return err
		}
		return s.embed.AddFrameOriginsTx(ctx, tx, brandID, FrameSource(shop), []string{AdminOrigin})
	})
	if err != nil {
		return Installation{}, err
	}
	s.log.InfoContext(ctx, "shopify app installed", "brand", brandID, "shop", shop, "scopes", scopes)
	return Installation{Shop: shop, BrandID: brandID, Scopes: granted, PrimaryDomain: info.PrimaryHost,
		InstalledAt: now, UpdatedAt: now}, nil
}

// TokenContext is the seal context of shop's access token: a sealed token
// copied to another shop's row does not open there.
func TokenContext(shop string) string { return "shopify token:" + shop }

// FrameSource names the frame origins a shop's install added.
func FrameSource(shop string) string { return "shopify:" + shop }
