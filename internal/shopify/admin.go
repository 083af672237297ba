package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// Subscriptions are the operational webhooks an install registers through
// the Admin GraphQL API, as its WebhookSubscriptionTopic enum names them
// (the privacy topics are declared in shopify/shopify.app.toml, the only
// place Shopify accepts them). products/create lets a new Shopify product
// be matched by SKU before its first order.
var Subscriptions = []string{"APP_UNINSTALLED", "ORDERS_CREATE", "ORDERS_UPDATED", "PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE"}

// maxAdminAnswer bounds what is read of one Admin API answer.
const maxAdminAnswer = 1 << 20

// graphql runs one Admin GraphQL call for shop with its access token and
// decodes data into out. A transport failure, a non-200 answer or a
// top-level errors list is a 503 naming Shopify (the caller's fault it is
// not); userErrors are the caller's to read in out.
func (s *Service) graphql(ctx context.Context, shop, token, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	endpoint := s.cfg.AdminBase(shop) + "/admin/api/" + APIVersion + "/graphql.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", token)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "Shopify's Admin API did not answer; try again")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminAnswer))
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "Shopify's Admin API answer was cut short; try again")
	}
	if resp.StatusCode != http.StatusOK {
		return apperr.New(apperr.Unavailable, "Shopify's Admin API answered %d; try again", resp.StatusCode)
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "Shopify's Admin API answer is not JSON")
	}
	if len(env.Errors) > 0 {
		msgs := make([]string, len(env.Errors))
		for i, e := range env.Errors {
			msgs[i] = e.Message
		}
		return apperr.New(apperr.Unavailable, "Shopify's Admin API refused the call: %s", strings.Join(msgs, "; "))
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "Shopify's Admin API answer has an unexpected shape")
	}
	return nil
}

// ShopInfo is what an install reads of the shop.
type ShopInfo struct {
	MyshopifyDomain string
	// PrimaryURL and PrimaryHost are the storefront's primary domain
	// (https://shop.example.com and shop.example.com; the myshopify
	// domain when the shop has no other).
	PrimaryURL, PrimaryHost string
}

const shopQuery = `query luneoShop { shop { myshopifyDomain primaryDomain { url host } } }`

// shopInfo reads the shop's domains.
func (s *Service) shopInfo(ctx context.Context, shop, token string) (ShopInfo, error) {
	var out struct {
		Shop struct {
			MyshopifyDomain string `json:"myshopifyDomain"`
			PrimaryDomain   struct {
				URL  string `json:"url"`
				Host string `json:"host"`
			} `json:"primaryDomain"`
		} `json:"shop"`
	}
	if err := s.graphql(ctx, shop, token, shopQuery, nil, &out); err != nil {
		return ShopInfo{}, err
	}
	if out.Shop.MyshopifyDomain != shop {
		return ShopInfo{}, apperr.New(apperr.Unavailable, "Shopify answered for shop %q instead of %q", trim(out.Shop.MyshopifyDomain), shop)
	}
	return ShopInfo{MyshopifyDomain: out.Shop.MyshopifyDomain, PrimaryURL: out.Shop.PrimaryDomain.URL,
		PrimaryHost: strings.ToLower(out.Shop.PrimaryDomain.Host)}, nil
}

const subscriptionsQuery = `query luneoWebhooks { webhookSubscriptions(first: 100) { nodes { id topic uri } } }`

const subscriptionCreate = `mutation luneoWebhook($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`

// registerWebhooks subscribes the shop's operational topics to Luneo's
// webhook route. It is idempotent, so a reinstall (or a retry after a
// failure) is safe: the shop's existing subscriptions are read first and
// only the missing ones are created, and an "already been taken" user
// error (a subscription made meanwhile) counts as done.
func (s *Service) registerWebhooks(ctx context.Context, shop, token string) error {
	uri := s.cfg.BaseURL + WebhookPath
	var existing struct {
		WebhookSubscriptions struct {
			Nodes []struct {
				Topic string `json:"topic"`
				URI   string `json:"uri"`
			} `json:"nodes"`
		} `json:"webhookSubscriptions"`
	}
	if err := s.graphql(ctx, shop, token, subscriptionsQuery, nil, &existing); err != nil {
		return err
	}
	have := map[string]bool{}
	for _, n := range existing.WebhookSubscriptions.Nodes {
		if n.URI == uri {
			have[n.Topic] = true
		}
	}
	for _, topic := range Subscriptions {
		if have[topic] {
			continue
		}
		var out struct {
			Create struct {
				UserErrors []struct {
					Message string `json:"message"`
				} `json:"userErrors"`
			} `json:"webhookSubscriptionCreate"`
		}
		vars := map[string]any{"topic": topic, "sub": map[string]any{"uri": uri, "format": "JSON"}}
		if err := s.graphql(ctx, shop, token, subscriptionCreate, vars, &out); err != nil {
			return err
		}
		for _, e := range out.Create.UserErrors {
			if strings.Contains(strings.ToLower(e.Message), "already been taken") {
				continue
			}
			return apperr.New(apperr.Unavailable, "Shopify refused the %s webhook: %s", topic, e.Message)
		}
	}
	return nil
}

// AdminBase is the origin of shop's Admin API (for the webhook side's
// calls, and tests).
func (s *Service) AdminBase(shop string) string { return s.cfg.AdminBase(shop) }

// errShopify wraps what Shopify's OAuth endpoint said.
func errShopify(format string, args ...any) error {
	return apperr.New(apperr.Unavailable, "Shopify: %s", fmt.Sprintf(format, args...))
}
