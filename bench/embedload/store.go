package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// storeOrigin is the store page every simulated widget is embedded in. It
// is never contacted: the benchmark sends it as the Origin header, as a
// browser on that store would.
const storeOrigin = "https://shop.bench.example"

// store is one brand with an active product that lists storeOrigin, and
// the HTTP client the simulated shoppers share (many idle connections:
// hundreds of sessions talk to one host).
type store struct {
	*benchapi.Brand
	brandID string
	// image is the PNG every shopper uploads.
	image []byte
	http  *http.Client
}

// newStore sets up the brand: product, model, zone and image
// (benchapi.NewBrand), the product activated, the store origin allowed.
func newStore(ctx context.Context, base string, in benchapi.Inputs) (*store, error) {
	tag := make([]byte, 5)
	_, _ = rand.Read(tag)
	b, err := benchapi.NewBrand(ctx, base, "embed-"+hex.EncodeToString(tag), in)
	if err != nil {
		return nil, err
	}
	if _, err := b.C.Call(ctx, "PATCH", "/api/products/"+b.Product, map[string]any{"status": "active"}, 200); err != nil {
		return nil, fmt.Errorf("activate product: %w", err)
	}
	if _, err := b.C.Call(ctx, "PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{storeOrigin}}, 200); err != nil {
		return nil, fmt.Errorf("allow the store origin: %w", err)
	}
	me, err := b.C.Call(ctx, "GET", "/api/brand", nil, 200)
	if err != nil {
		return nil, fmt.Errorf("read the brand: %w", err)
	}
	id := benchapi.Str(me, "brand", "id")
	if id == "" {
		return nil, fmt.Errorf("GET /api/brand: no brand.id in %v", me)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = 2048, 2048, 0
	return &store{Brand: b, brandID: id, image: in.Image, http: &http.Client{Transport: tr, Timeout: time.Minute}}, nil
}

// tokenPath is the loader's token request.
func (s *store) tokenPath() string {
	return "/api/embed/token?" + url.Values{"brand": {s.brandID}, "product": {s.Product}, "origin": {storeOrigin}}.Encode()
}
