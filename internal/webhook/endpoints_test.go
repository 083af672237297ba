package webhook

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestBlockedAddresses(t *testing.T) {
	t.Parallel()
	blocked := []string{"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "::1", "169.254.169.254",
		"fe80::1", "fc00::1", "fd12:3456::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "100.64.0.1", "100.127.255.254",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1", "::ffff:198.18.0.1", "64:ff9b::7f00:1", "255.255.255.255", "198.18.0.1"}
	for _, s := range blocked {
		if !Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is allowed", s)
		}
	}
	public := []string{"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "100.128.0.1"}
	for _, s := range public {
		if Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is refused", s)
		}
	}
	if !Blocked(netip.Addr{}) {
		t.Error("the zero address is allowed")
	}
}

func TestEndpointURLs(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newFixture(t, d, Config{})
	for url, want := range map[string]apperr.Code{
		"http://hooks.example.com/x":            apperr.Invalid, // https only
		"ftp://hooks.example.com/x":             apperr.Invalid,
		"https://user:pass@hooks.example.com/x": apperr.Invalid,
		"https://hooks.example.com/x#frag":      apperr.Invalid,
		"https:///x":                            apperr.Invalid,
		"/relative":                             apperr.Invalid,
		"":                                      apperr.Invalid,
		"https://h.example.com/" + strings.Repeat("a", 2048): apperr.Invalid,
		"https://127.0.0.1/x":                                apperr.Unprocessable,
		"https://10.1.2.3/x":                                 apperr.Unprocessable,
		"https://[::1]/x":                                    apperr.Unprocessable,
		"https://169.254.169.254/latest/meta-data":           apperr.Unprocessable,
		"https://[::ffff:127.0.0.1]:8443/x":                  apperr.Unprocessable,
		"https://100.64.1.1/x":                               apperr.Unprocessable,
	} {
		_, _, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: url, Topics: []string{TopicPing}})
		if got := apperr.CodeOf(err); got != want {
			t.Errorf("%.60q: %v (%s), want %s", url, err, got, want)
		}
	}
	e, _, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: " https://hooks.example.com:8443/luneo?x=1 ",
		Topics: []string{TopicPing, TopicOrderCreated, TopicPing}, Description: " Orders "})
	if err != nil {
		t.Fatal(err)
	}
	if e.URL != "https://hooks.example.com:8443/luneo?x=1" || e.Description != "Orders" ||
		strings.Join(e.Topics, ",") != "order.created,ping" || !e.Enabled {
		t.Fatalf("%+v", e)
	}
	for _, topics := range [][]string{nil, {}, {"order.exploded"}, {"ping", "Order.Created"}} {
		if _, _, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: "https://a.example.com", Topics: topics}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("topics %q: %v", topics, err)
		}
	}
	// The same checks on a change.
	if _, err := f.svc.UpdateEndpoint(f.ctx, f.owner, e.ID, EndpointPatch{URL: new("https://192.168.0.10/")}); apperr.CodeOf(err) != apperr.Unprocessable {
		t.Errorf("patch to a private address: %v", err)
	}
	// http and private literals are for deployments that allow them.
	dev := newFixture(t, dbtest.SQLite(t), Config{AllowHTTP: true})
	if _, _, err := dev.svc.CreateEndpoint(dev.ctx, dev.owner, EndpointSpec{URL: "http://hooks.example.com", Topics: Topics}); err != nil {
		t.Errorf("http with AllowHTTP: %v", err)
	}
	if _, _, err := dev.svc.CreateEndpoint(dev.ctx, dev.owner, EndpointSpec{URL: "http://127.0.0.1:8080", Topics: Topics}); apperr.CodeOf(err) != apperr.Unprocessable {
		t.Errorf("loopback with AllowHTTP only: %v", err)
	}
	priv := newFixture(t, dbtest.SQLite(t), Config{AllowPrivate: true})
	if _, _, err := priv.svc.CreateEndpoint(priv.ctx, priv.owner, EndpointSpec{URL: "http://127.0.0.1:8080", Topics: Topics}); err != nil {
		t.Errorf("loopback with AllowPrivate: %v", err)
	}
}

// TestDialGuard proves the guard works where it matters, on the address
// actually dialed: a literal loopback URL (as if saved before the check) and
// a name that resolves to loopback are both refused without a request
// reaching the server, and the same delivery goes through with
// AllowPrivate.
func TestDialGuard(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, always(http.StatusOK))
	port := rcv.URL[strings.LastIndexByte(rcv.URL, ':')+1:]
	f := newFixture(t, dbtest.SQLite(t), Config{AllowHTTP: true})
	for _, url := range []string{"http://localhost:" + port + "/hook", "http://127.0.0.1:" + port + "/hook",
		"http://[::ffff:127.0.0.1]:" + port + "/hook"} {
		res := f.svc.post(f.ctx, url, "whsec_x", "evt", []byte("{}"))
		if res.ok() || !strings.Contains(res.err, ErrBlockedAddress.Error()) {
			t.Errorf("%s: %+v", url, res)
		}
	}
	// Through the whole path: an endpoint named by a host that resolves to
	// loopback passes the creation check and is refused at dial time.
	e, _ := f.endpoint(t, "http://localhost:"+port+"/hook", TopicOrderCreated)
	if err := f.svc.Emit(f.ctx, f.owner.BrandID, TopicOrderCreated, 1); err != nil {
		t.Fatal(err)
	}
	f.work(t)
	ds := f.deliveries(t, e.ID)
	if ds[0].Status != StatusFailed || !strings.Contains(ds[0].Error, "refusing to connect") {
		t.Fatalf("delivery to localhost: %+v", ds[0])
	}
	if n := len(rcv.got()); n != 0 {
		t.Fatalf("the guarded client reached the server %d times", n)
	}
	allowed := New(nil, f.ring, Config{AllowPrivate: true}, nil)
	if res := allowed.post(f.ctx, "http://localhost:"+port+"/hook", "whsec_x", "evt", []byte("{}")); !res.ok() {
		t.Fatalf("with AllowPrivate: %+v", res)
	}
	if n := len(rcv.got()); n != 1 {
		t.Fatalf("%d requests with AllowPrivate", n)
	}
	if err := guardControl("tcp", "not an address", nil); !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("unreadable address: %v", err)
	}
}

func TestSecretIsShownOnceAndSealed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		e, secret := f.endpoint(t, "https://hooks.example.com/a", TopicPing)
		e2, _ := f.endpoint(t, "https://hooks.example.com/b", TopicPing)
		got, err := f.svc.GetEndpoint(f.ctx, f.owner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.ListEndpoints(f.ctx, f.owner)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []any{got, list} {
			b, _ := json.Marshal(v)
			if strings.Contains(string(b), secret) || strings.Contains(string(b), "whsec_") {
				t.Fatalf("a read shows the secret: %s", b)
			}
		}
		var sealed string
		if err := d.QueryRow(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, e.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		raw := secret[len(SecretPrefix):]
		if strings.Contains(sealed, raw) || !strings.HasPrefix(sealed, "s2.") {
			t.Fatalf("stored in clear: %s", sealed)
		}
		if plain, err := f.ring.Open(sealed, secretContext(e.ID)); err != nil || string(plain) != secret {
			t.Fatalf("open: %q %v", plain, err)
		}
		// Bound to its endpoint: copied to another row, it does not open.
		if _, err := f.ring.Open(sealed, secretContext(e2.ID)); err == nil {
			t.Fatal("a secret opened under another endpoint")
		}
		// Rotation: a new secret, shown once, sealed in place of the old.
		next, err := f.svc.RotateSecret(f.ctx, f.owner, e.ID)
		if err != nil || next == secret || !strings.HasPrefix(next, SecretPrefix) {
			t.Fatalf("rotate: %q %v", next, err)
		}
		if err := d.QueryRow(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, e.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if plain, err := f.ring.Open(sealed, secretContext(e.ID)); err != nil || string(plain) != next {
			t.Fatalf("after rotation: %q %v", plain, err)
		}
	})
}

// TestTenancyAndPermissions: another brand's IDs are not found, and only
// owners and admins (no API key) manage webhooks.
func TestTenancyAndPermissions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Config{AllowPrivate: true})
		e, _ := f.endpoint(t, "http://127.0.0.1:9/x", TopicPing)
		dl, err := f.svc.Ping(f.ctx, f.admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		ops := map[string]func(p principal) error{
			"get":        func(p principal) error { _, err := f.svc.GetEndpoint(f.ctx, p, e.ID); return err },
			"update":     func(p principal) error { _, err := f.svc.UpdateEndpoint(f.ctx, p, e.ID, EndpointPatch{}); return err },
			"rotate":     func(p principal) error { _, err := f.svc.RotateSecret(f.ctx, p, e.ID); return err },
			"ping":       func(p principal) error { _, err := f.svc.Ping(f.ctx, p, e.ID); return err },
			"deliveries": func(p principal) error { _, err := f.svc.ListDeliveries(f.ctx, p, e.ID, "", 0); return err },
			"delivery":   func(p principal) error { _, err := f.svc.GetDelivery(f.ctx, p, dl.ID); return err },
			"retry":      func(p principal) error { _, err := f.svc.RetryDelivery(f.ctx, p, dl.ID); return err },
			"delete":     func(p principal) error { return f.svc.DeleteEndpoint(f.ctx, p, e.ID) },
		}
		for name, op := range ops {
			if err := op(f.other); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s by another brand: %v", name, err)
			}
			for who, p := range map[string]principal{"editor": f.editor, "api key": f.key} {
				if err := op(p); apperr.CodeOf(err) != apperr.Forbidden {
					t.Errorf("%s by %s: %v", name, who, err)
				}
			}
		}
		if list, err := f.svc.ListEndpoints(f.ctx, f.other); err != nil || len(list) != 0 {
			t.Fatalf("another brand lists %v %v", list, err)
		}
		if _, _, err := f.svc.CreateEndpoint(f.ctx, f.editor, EndpointSpec{URL: "https://a.example.com", Topics: Topics}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("editor creates: %v", err)
		}
		// Brand A's owner still has everything, and can delete.
		if err := f.svc.DeleteEndpoint(f.ctx, f.owner, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.GetDelivery(f.ctx, f.owner, dl.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a deleted endpoint's delivery: %v", err)
		}
	})
}

func TestPingAndLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t), Config{AllowPrivate: true})
	e, _ := f.endpoint(t, "http://127.0.0.1:9/x", TopicOrderCreated)
	dl, err := f.svc.Ping(f.ctx, f.owner, e.ID)
	if err != nil || dl.Topic != TopicPing || dl.Status != StatusPending {
		t.Fatalf("ping %+v %v", dl, err)
	}
	if _, err := f.svc.UpdateEndpoint(f.ctx, f.owner, e.ID, EndpointPatch{Enabled: new(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Ping(f.ctx, f.owner, e.ID); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("ping of a disabled endpoint: %v", err)
	}
	if _, err := f.svc.RetryDelivery(f.ctx, f.owner, dl.ID); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("retry on a disabled endpoint: %v", err)
	}
	for range MaxEndpoints - 1 {
		f.endpoint(t, "https://a.example.com", TopicPing)
	}
	if _, _, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: "https://a.example.com", Topics: Topics}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("endpoint %d: %v", MaxEndpoints+1, err)
	}
	// Paging, newest first.
	for range 4 {
		if _, err := f.svc.UpdateEndpoint(f.ctx, f.owner, e.ID, EndpointPatch{Enabled: new(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Ping(f.ctx, f.owner, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	p1, err := f.svc.ListDeliveries(f.ctx, f.owner, e.ID, "", 3)
	if err != nil || len(p1.Deliveries) != 3 || p1.NextCursor == "" {
		t.Fatalf("page 1 %+v %v", p1, err)
	}
	p2, err := f.svc.ListDeliveries(f.ctx, f.owner, e.ID, p1.NextCursor, 3)
	if err != nil || len(p2.Deliveries) != 2 || p2.NextCursor != "" || p2.Deliveries[1].ID != dl.ID ||
		p1.Deliveries[0].ID <= p2.Deliveries[0].ID {
		t.Fatalf("page 2 %+v %v", p2, err)
	}
	if _, err := f.svc.ListDeliveries(f.ctx, f.owner, e.ID, "", 101); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("limit 101: %v", err)
	}
}

type principal = auth.Principal
