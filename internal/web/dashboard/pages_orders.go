package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/web/form"
)

// The orders pages: the list with filters and status badges,
// an order with its lines' previews, locked versions, production state and
// download button, the fulfilled/cancelled forms (plain POSTs, which the
// Page policy guards against cross-site requests like every dashboard
// form), and the production file-name settings. The order service checks
// permissions and scopes every read to the brand.

// ordersPage is the orders list.
type ordersPage struct {
	chrome
	Page     order.Page
	Statuses []order.Status
	Status   string
	Source   string
	Query    string
	From, To string
	// First and Next are the pager's links ("" when there is no such page).
	First, Next string
}

func (s *Dashboard) ordersListPage(w http.ResponseWriter, r *http.Request, me Me) error {
	q := r.URL.Query()
	p := &ordersPage{chrome: chrome{Me: me, Nav: "orders"}, Statuses: order.Statuses, Status: q.Get("status"),
		Source: q.Get("source"), Query: q.Get("q"), From: q.Get("from"), To: q.Get("to")}
	o := order.ListOptions{Status: order.Status(p.Status), Source: p.Source, Query: p.Query, Cursor: q.Get("cursor")}
	for v, dst := range map[string]*time.Time{p.From: &o.From, p.To: &o.To} {
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			s.flash.Redirect(w, r, "/app/orders", "Dates are written 2006-01-02.")
			return nil
		}
		*dst = t
	}
	if !o.To.IsZero() {
		o.To = o.To.AddDate(0, 0, 1) // "to" is the last day shown
	}
	page, err := s.Orders.List(r.Context(), me.p, o)
	if err != nil {
		return err
	}
	p.Page = page
	keep := url.Values{}
	for k, v := range map[string]string{"status": p.Status, "source": p.Source, "q": p.Query, "from": p.From, "to": p.To} {
		if v != "" {
			keep.Set(k, v)
		}
	}
	if q.Get("cursor") != "" {
		p.First = "/app/orders?" + keep.Encode()
	}
	if page.NextCursor != "" {
		keep.Set("cursor", page.NextCursor)
		p.Next = "/app/orders?" + keep.Encode()
	}
	s.renderPage(w, r, http.StatusOK, "orders", "Orders", p)
	return nil
}

// orderPage is one order.
type orderPage struct {
	chrome
	Order order.Order
}

// CanEnd says whether the order may still be marked fulfilled or cancelled.
func (p *orderPage) CanEnd() bool {
	return p.Order.Status != order.Fulfilled && p.Order.Status != order.Cancelled
}

// CanRetry says whether the order's production stopped on an error.
func (p *orderPage) CanRetry() bool {
	return p.CanEnd() && p.Order.Status != order.Ready && p.Order.Production != nil && p.Order.Production.Error != ""
}

func (s *Dashboard) orderDetailPage(w http.ResponseWriter, r *http.Request, me Me) error {
	o, err := s.Orders.Get(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // signed links
	s.renderPage(w, r, http.StatusOK, "order", "Order "+o.Name, &orderPage{chrome: chrome{Me: me, Nav: "orders"}, Order: o})
	return nil
}

func (s *Dashboard) orderStatusSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	o, err := s.Orders.SetStatus(r.Context(), me.p, id, order.Status(r.PostFormValue("status")))
	if err != nil {
		if f, _, ok := form.Failure(w, err, "status", nil); ok {
			s.flash.Redirect(w, r, "/app/orders/"+url.PathEscape(id), f.Error)
			return nil
		}
		return err
	}
	s.flash.Redirect(w, r, "/app/orders/"+url.PathEscape(o.ID), fmt.Sprintf("Order %s is %s.", o.Name, o.Status))
	return nil
}

func (s *Dashboard) orderRetrySubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("id")
	if _, err := s.Orders.RetryProduction(r.Context(), me.p, id); err != nil {
		if f, _, ok := form.Failure(w, err, "retry", nil); ok {
			s.flash.Redirect(w, r, "/app/orders/"+url.PathEscape(id), f.Error)
			return nil
		}
		return err
	}
	s.flash.Redirect(w, r, "/app/orders/"+url.PathEscape(id), "Production started again.")
	return nil
}

// orderSettingsPage is the production file-name settings form.
type orderSettingsPage struct {
	chrome
	Form         form.Form
	Placeholders []string
	Example      string
}

func (s *Dashboard) orderSettingsView(w http.ResponseWriter, r *http.Request, me Me) error {
	st, err := s.Orders.Settings(r.Context(), me.p)
	if err != nil {
		return err
	}
	f := form.Form{Name: "order-settings", Values: map[string]string{"file_pattern": st.FilePattern, "notify_email": onOff(st.NotifyEmail)}}
	s.renderPage(w, r, http.StatusOK, "order_settings", "Order settings", s.settingsPage(me, f))
	return nil
}

func (s *Dashboard) orderSettingsSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.OrdersWrite); err != nil {
		return err
	}
	in := order.Settings{FilePattern: r.PostFormValue("file_pattern"), NotifyEmail: r.PostFormValue("notify_email") == "on"}
	if _, err := s.Orders.SetSettings(r.Context(), me.p, in); err != nil {
		f, status, ok := form.Failure(w, err, "order-settings", map[string]string{"file_pattern": in.FilePattern, "notify_email": onOff(in.NotifyEmail)})
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "order_settings", "Order settings", s.settingsPage(me, f))
		return nil
	}
	s.flash.Redirect(w, r, "/app/orders/settings", "Order settings saved.")
	return nil
}

func (s *Dashboard) settingsPage(me Me, f form.Form) *orderSettingsPage {
	return &orderSettingsPage{chrome: chrome{Me: me, Nav: "orders"}, Form: f, Placeholders: order.Placeholders,
		Example: order.DefaultPattern}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return ""
}
