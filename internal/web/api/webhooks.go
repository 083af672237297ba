package api

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/webhook"
)

// The brand's webhooks out: endpoints, their delivery log, test
// pings and manual retries. The webhook service checks the permission
// (webhooks:manage, owners and admins) and scopes every query to the
// caller's brand; these handlers only translate HTTP. A signing secret is
// in an answer twice only: when the endpoint is created and when its secret
// is rotated, with Cache-Control: no-store.

func (s *API) listWebhookEndpoints(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	es, err := s.Webhooks.ListEndpoints(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoints": es, "topics": webhook.Topics})
	return nil
}

func (s *API) createWebhookEndpoint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in webhook.EndpointSpec
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, secret, err := s.Webhooks.CreateEndpoint(r.Context(), p, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"endpoint": e, "secret": secret})
	return nil
}

func (s *API) getWebhookEndpoint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	e, err := s.Webhooks.GetEndpoint(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint": e})
	return nil
}

func (s *API) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in webhook.EndpointPatch
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.Webhooks.UpdateEndpoint(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"endpoint": e})
	return nil
}

func (s *API) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Webhooks.DeleteEndpoint(r.Context(), p, r.PathValue("id")))
}

func (s *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	secret, err := s.Webhooks.RotateSecret(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"secret": secret})
	return nil
}

func (s *API) pingWebhookEndpoint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.Webhooks.Ping(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"delivery": d})
	return nil
}

func (s *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q := r.URL.Query()
	limit := 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return apperr.New(apperr.Invalid, "limit must be a number from 1 to %d", webhook.MaxPageSize)
		}
		limit = n
	}
	page, err := s.Webhooks.ListDeliveries(r.Context(), p, r.PathValue("id"), q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) getWebhookDelivery(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.Webhooks.GetDelivery(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"delivery": d})
	return nil
}

func (s *API) retryWebhookDelivery(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.Webhooks.RetryDelivery(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"delivery": d})
	return nil
}
