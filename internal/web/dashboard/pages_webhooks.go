package dashboard

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/webhook"
)

// The Webhooks pages: the brand's endpoints, a
// form to add one, and each endpoint's page with its settings, its signing
// secret shown once (after creation or rotation), a test ping and the
// delivery log with the endpoint's answers. The webhook service checks
// webhooks:manage (owners and admins) and the brand of every ID.

// webhooksPage lists the endpoints with the form to add one.
type webhooksPage struct {
	chrome
	Endpoints []webhook.Endpoint
	Topics    []string
	// Checked are the topics ticked in the form (all order topics at first).
	Checked map[string]bool
	Form    form.Form
}

// webhookPage is one endpoint with its delivery log.
type webhookPage struct {
	chrome
	Endpoint webhook.Endpoint
	Topics   []string
	// Secret is the signing secret, only right after creation or rotation.
	Secret     string
	Deliveries []webhook.Delivery
	// Older is the cursor of the next page of the log; empty on the last.
	Older string
	Form  form.Form
}

// Subscribed reports whether the endpoint listens to topic.
func (p *webhookPage) Subscribed(topic string) bool { return slices.Contains(p.Endpoint.Topics, topic) }

func (s *Dashboard) webhooksPage(w http.ResponseWriter, r *http.Request, me Me) error {
	checked := map[string]bool{}
	for _, t := range webhook.Topics[:4] {
		checked[t] = true
	}
	return s.showWebhooks(w, r, http.StatusOK, &webhooksPage{chrome: chrome{Me: me}, Checked: checked})
}

func (s *Dashboard) showWebhooks(w http.ResponseWriter, r *http.Request, status int, v *webhooksPage) error {
	es, err := s.Webhooks.ListEndpoints(r.Context(), v.Me.p)
	if err != nil {
		return err
	}
	v.Endpoints, v.Topics, v.Nav = es, webhook.Topics, "webhooks"
	s.renderPage(w, r, status, "webhooks", "Webhooks", v)
	return nil
}

func (s *Dashboard) createWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, err, "the form could not be read")
	}
	values := form.Values(r, "url", "description")
	topics := r.PostForm["topics"]
	e, secret, err := s.Webhooks.CreateEndpoint(r.Context(), me.p, webhook.EndpointSpec{URL: values["url"],
		Description: values["description"], Topics: topics})
	if err != nil {
		f, status, ok := form.Failure(w, err, "webhook", values)
		if !ok {
			return err
		}
		checked := map[string]bool{}
		for _, t := range topics {
			checked[t] = true
		}
		return s.showWebhooks(w, r, status, &webhooksPage{chrome: chrome{Me: me}, Form: f, Checked: checked})
	}
	// The secret is shown on this answer only: it is not kept readable.
	return s.showWebhook(w, r, http.StatusCreated, &webhookPage{chrome: chrome{Me: me}, Endpoint: e, Secret: secret})
}

func (s *Dashboard) webhookPage(w http.ResponseWriter, r *http.Request, me Me) error {
	e, err := s.Webhooks.GetEndpoint(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showWebhook(w, r, http.StatusOK, &webhookPage{chrome: chrome{Me: me}, Endpoint: e})
}

// showWebhook renders an endpoint's page with a page of its delivery log
// (?before= pages back).
func (s *Dashboard) showWebhook(w http.ResponseWriter, r *http.Request, status int, v *webhookPage) error {
	page, err := s.Webhooks.ListDeliveries(r.Context(), v.Me.p, v.Endpoint.ID, r.URL.Query().Get("before"), 0)
	if err != nil {
		return err
	}
	v.Deliveries, v.Older, v.Topics, v.Nav = page.Deliveries, page.NextCursor, webhook.Topics, "webhooks"
	if v.Form.Name == "" {
		v.Form = form.Form{Name: "endpoint", Values: map[string]string{"url": v.Endpoint.URL, "description": v.Endpoint.Description}}
	}
	s.renderPage(w, r, status, "webhook", "Webhook endpoint", v)
	return nil
}

func (s *Dashboard) updateWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, err, "the form could not be read")
	}
	id := r.PathValue("id")
	values := form.Values(r, "url", "description")
	topics := r.PostForm["topics"]
	url, desc := values["url"], values["description"]
	e, err := s.Webhooks.UpdateEndpoint(r.Context(), me.p, id, webhook.EndpointPatch{URL: &url, Description: &desc, Topics: &topics})
	if err != nil {
		f, status, ok := form.Failure(w, err, "endpoint", values)
		if !ok {
			return err
		}
		cur, gerr := s.Webhooks.GetEndpoint(r.Context(), me.p, id)
		if gerr != nil {
			return gerr
		}
		return s.showWebhook(w, r, status, &webhookPage{chrome: chrome{Me: me}, Endpoint: cur, Form: f})
	}
	s.flash.Redirect(w, r, "/app/webhooks/"+e.ID, "The endpoint has been saved.")
	return nil
}

func (s *Dashboard) enableWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	on := r.PostFormValue("enabled") == "true"
	e, err := s.Webhooks.UpdateEndpoint(r.Context(), me.p, r.PathValue("id"), webhook.EndpointPatch{Enabled: &on})
	if err != nil {
		return err
	}
	msg := "The endpoint is disabled: it receives nothing, retries included, until enabled again."
	if on {
		msg = "The endpoint is enabled: it receives new events."
	}
	s.flash.Redirect(w, r, "/app/webhooks/"+e.ID, msg)
	return nil
}

func (s *Dashboard) rotateWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	secret, err := s.Webhooks.RotateSecret(r.Context(), me.p, id)
	if err != nil {
		return err
	}
	e, err := s.Webhooks.GetEndpoint(r.Context(), me.p, id)
	if err != nil {
		return err
	}
	return s.showWebhook(w, r, http.StatusOK, &webhookPage{chrome: chrome{Me: me}, Endpoint: e, Secret: secret})
}

func (s *Dashboard) deleteWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Webhooks.DeleteEndpoint(r.Context(), me.p, r.PathValue("id")); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/webhooks", "The endpoint and its delivery log have been deleted.")
	return nil
}

func (s *Dashboard) pingWebhookSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	d, err := s.Webhooks.Ping(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/webhooks/"+d.EndpointID, "A ping is on its way; its answer appears in the log below.")
	return nil
}

func (s *Dashboard) retryDeliverySubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	d, err := s.Webhooks.RetryDelivery(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/webhooks/"+d.EndpointID, fmt.Sprintf("The %s event will be sent again now.", d.Topic))
	return nil
}
