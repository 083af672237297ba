package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/shopify"
)

// serve runs the floor server until ctx ends: POST reads the body and
// checks its signature with Luneo's own function, GET answers 200 (for
// readiness). It prints its URL once listening.
func serve(ctx context.Context, addr string, secret []byte, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: floorHandler(secret), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// floorHandler is the least a webhook endpoint does: read the raw body,
// verify the HMAC, answer.
func floorHandler(secret []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusOK)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, shopify.MaxWebhookBody))
		if err != nil {
			http.Error(w, "body", http.StatusBadRequest)
			return
		}
		if !shopify.ValidBodyHMAC(string(secret), body, r.Header.Get(shopify.HeaderHMAC)) {
			http.Error(w, "signature", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"received"}`)
	})
}
