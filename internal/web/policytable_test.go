package web_test

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/seal"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/webhook"
)

var update = flag.Bool("update", false, "rewrite docs/routes.md from the route table")

// routesDoc is docs/routes.md, relative to this package.
var routesDoc = filepath.Join("..", "..", "docs", "routes.md")

// routesHeader introduces the generated table.
const routesHeader = `# Routes and their policies

Generated from the route table of a ` + "`luneo dev`" + ` server with every feature on (a test fails when
this file differs: ` + "`go test ./internal/web -run TestRoutesDoc -update`" + ` rewrites it). In ` + "`luneo serve`" + `,
` + "`/metrics`" + ` is answered on the ops listener only and the devtools routes do not exist. What each column
means: [web.md](web.md).

`

// fullServer is a server with every surface and module on, with the
// default limits: the superset of what any mode serves.
func fullServer(t *testing.T) *web.Server {
	t.Helper()
	cfg, err := config.Load(config.Dev, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	emb, err := embed.New(nil, nil, embed.Config{Secret: strings.Repeat("s", 32),
		Products: func(context.Context, string, string) (embed.Product, error) { return embed.Product{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := seal.New(strings.Repeat("s", 32), "")
	if err != nil {
		t.Fatal(err)
	}
	shop, err := shopify.New(nil, nil, ring, brand.NewStore(nil), emb, shopify.Config{APIKey: "k", APISecret: "s"}, logger)
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Deps{Logger: logger, Metrics: obs.NewMetrics(), MaxBody: cfg.MaxBody, Dev: true, LocalBlobs: blobs,
		Catalog: catalog.New(nil, nil, catalog.Config{MaxModelSize: cfg.MaxModelSize}, logger), AR: &ar.Service{},
		Designs: design.New(nil, nil, nil, design.Config{MaxImageUpload: cfg.MaxImageUpload, MaxFontUpload: cfg.MaxFontUpload}, logger),
		Renders: &render.Service{},
		OIDC:    &dashboard.OIDC{}, Embed: emb, Shopify: shop,
		Webhooks: webhook.New(nil, nil, webhook.Config{}, logger), Orders: &order.Service{},
		ShopifyWebhooks: shopify.NewWebhooks(nil, shopify.WebhooksConfig{})})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoutesDoc keeps docs/routes.md equal to the route table.
func TestRoutesDoc(t *testing.T) {
	t.Parallel()
	s := fullServer(t)
	got := routesHeader + web.PolicyTable(s.Routes(), s.MaxBody)
	if *update {
		if err := os.WriteFile(routesDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(routesDoc)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Fatalf("docs/routes.md is out of date with the route table: run go test ./internal/web -run TestRoutesDoc -update and review the diff")
	}
}

// TestEveryRouteHasASurfaceAndPolicy: the root tags every route with the
// surface that declared it, and the surfaces declare who may call each.
func TestEveryRouteHasASurfaceAndPolicy(t *testing.T) {
	t.Parallel()
	seen := map[string]int{}
	for _, r := range fullServer(t).Routes() {
		if r.Surface == "" || r.Policy.Auth == 0 {
			t.Errorf("%s: surface %q, auth %v", r.Pattern(), r.Surface, r.Policy.Auth)
		}
		seen[r.Surface]++
		if strings.HasPrefix(r.Path, "/api/") && r.Surface != "api" {
			t.Errorf("%s is declared by %s, not the api surface", r.Pattern(), r.Surface)
		}
		if strings.HasPrefix(r.Path, "/app") && (r.Surface != "dashboard" || r.Policy.Auth != httpx.AuthSession) {
			t.Errorf("%s: a dashboard page must be the dashboard's, with the Page policy (got %s, %s)", r.Pattern(), r.Surface, r.Policy.Auth)
		}
	}
	for _, s := range []string{"ops", "public", "api", "dashboard", "devtools", "widget", "root"} {
		if seen[s] == 0 {
			t.Errorf("no route from surface %s", s)
		}
	}
}

// TestPolicyTable: the rendered row says what the policy says.
func TestPolicyTable(t *testing.T) {
	t.Parallel()
	got := web.PolicyTable([]httpx.Route{
		{Method: "POST", Path: "/x", Surface: "api", Policy: httpx.BrandAPI, MaxBody: 100 << 20},
		{Method: "GET", Path: "/f", Surface: "public", Policy: httpx.SharedFile()},
	}, 1<<20)
	for _, want := range []string{
		"| api | `POST /x` | bearer token, API key or session cookie | same origin | nobody | — | 100 MiB |",
		"| public | `GET /f` | public | — | * | * | 1 MiB |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}
