package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The orders API: stores other than Shopify post their orders
// here with an API key (orders:write), and the brand lists them, reads one
// with its production state and a fresh download link, marks it fulfilled
// or cancelled, retries a stopped production and sets its file-name
// pattern. The order service checks permissions and scopes every query to
// the caller's brand, so another brand's order ID is a 404.

func (s *API) createOrder(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in order.APIOrder
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, created, err := s.Orders.CreateAPI(r.Context(), p, r.Header.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, status, map[string]any{"order": o})
	return nil
}

func (s *API) listOrders(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q := r.URL.Query()
	o := order.ListOptions{Status: order.Status(q.Get("status")), Source: q.Get("source"), Query: q.Get("q"), Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return apperr.New(apperr.Invalid, "limit must be a number from 1 to %d", order.MaxPageSize)
		}
		o.Limit = n
	}
	for name, dst := range map[string]*time.Time{"from": &o.From, "to": &o.To} {
		if v := q.Get(name); v != "" {
			t, err := parseDay(v)
			if err != nil {
				return apperr.New(apperr.Invalid, "%s must be a date (2006-01-02) or an RFC 3339 time", name)
			}
			*dst = t
		}
	}
	page, err := s.Orders.List(r.Context(), p, o)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

// parseDay reads an RFC 3339 time or a date (midnight UTC).
func parseDay(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}

func (s *API) getOrder(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	o, err := s.Orders.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the download link is signed
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"order": o})
	return nil
}

func (s *API) setOrderStatus(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		Status order.Status `json:"status"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := s.Orders.SetStatus(r.Context(), p, r.PathValue("id"), in.Status)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"order": o})
	return nil
}

func (s *API) retryOrderProduction(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	o, err := s.Orders.RetryProduction(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"order": o})
	return nil
}

func (s *API) getOrderSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	st, err := s.Orders.Settings(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"settings": st, "placeholders": order.Placeholders})
	return nil
}

func (s *API) putOrderSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in order.Settings
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	st, err := s.Orders.SetSettings(r.Context(), p, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"settings": st})
	return nil
}
