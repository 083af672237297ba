package mail

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

var testMessage = Message{
	To:      "Zoë Martin <zoe@example.com>",
	Subject: "Confirm your email ✔",
	Text:    "Hello Zoë,\n\nConfirm: https://luneo.example/confirm?token=abc\n.\n",
	HTML:    `<p>Hello Zoë,</p><p><a href="https://luneo.example/confirm?token=abc">Confirm</a></p>`,
}

// checkDelivered asserts that ts got exactly testMessage, once.
func checkDelivered(t *testing.T, ts *testServer) received {
	t.Helper()
	msgs := ts.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	r := msgs[0]
	if r.From != "no-reply@luneo.example" || len(r.To) != 1 || r.To[0] != "zoe@example.com" {
		t.Fatalf("envelope from %q to %v", r.From, r.To)
	}
	p := parseMessage(t, r.Data)
	if p.subject != testMessage.Subject || p.text != testMessage.Text || p.html != testMessage.HTML {
		t.Fatalf("message: subject %q text %q html %q", p.subject, p.text, p.html)
	}
	if from, err := p.header.AddressList("From"); err != nil || len(from) != 1 ||
		from[0].Name != "Luneo" || from[0].Address != "no-reply@luneo.example" {
		t.Fatalf("From %v (%v)", from, err)
	}
	if _, err := p.header.Date(); err != nil || p.header.Get("Message-ID") == "" {
		t.Fatalf("Date (%v) or Message-ID missing:\n%s", err, r.Data)
	}
	return r
}

func TestSMTPDelivers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     serverOpts
		url      string // ADDR is replaced by the server address
		wantTLS  bool
		wantUser string
	}{
		{"plain relay", serverOpts{}, "smtp://ADDR?tls=none&helo=app.luneo.example", false, ""},
		{"plain relay with auth", serverOpts{user: "luneo", pass: "p@ss"}, "smtp://luneo:p%40ss@ADDR?tls=none", false, "luneo"},
		{"starttls", serverOpts{tls: "starttls"}, "smtp://ADDR", true, ""},
		{"starttls with auth", serverOpts{tls: "starttls", user: "luneo", pass: "pw"}, "smtp://luneo:pw@ADDR?tls=starttls", true, "luneo"},
		{"implicit tls with auth", serverOpts{tls: "implicit", user: "luneo", pass: "pw"}, "smtps://luneo:pw@ADDR", true, "luneo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, tt.opts)
			s := newTestSMTP(t, ts, strings.Replace(tt.url, "ADDR", ts.addr, 1))
			if err := s.Send(context.Background(), testMessage); err != nil {
				t.Fatal(err)
			}
			r := checkDelivered(t, ts)
			if r.TLS != tt.wantTLS || r.User != tt.wantUser {
				t.Fatalf("tls %v user %q, want %v %q", r.TLS, r.User, tt.wantTLS, tt.wantUser)
			}
			if tt.wantUser != "" && tt.wantTLS && !ts.authTLS.Load() {
				t.Fatal("credentials were sent before TLS")
			}
			if strings.Contains(tt.url, "helo=") && r.Helo != "app.luneo.example" {
				t.Fatalf("EHLO %q", r.Helo)
			}
		})
	}
}

func TestSMTPFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("starttls required", func(t *testing.T) {
		ts := startServer(t, serverOpts{})
		err := newTestSMTP(t, ts, "smtp://"+ts.addr).Send(ctx, testMessage)
		if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		ts := startServer(t, serverOpts{tls: "starttls"})
		s := newTestSMTP(t, nil, "smtp://"+ts.addr)
		if err := s.Send(ctx, testMessage); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		ts := startServer(t, serverOpts{tls: "starttls", user: "luneo", pass: "pw"})
		err := newTestSMTP(t, ts, "smtp://luneo:nope@"+ts.addr).Send(ctx, testMessage)
		var perm *PermanentError
		if err == nil || !strings.Contains(err.Error(), "535") || errors.As(err, &perm) {
			t.Fatalf("got %v, want a retryable 535", err)
		}
	})
	t.Run("auth required", func(t *testing.T) {
		ts := startServer(t, serverOpts{tls: "starttls", user: "luneo", pass: "pw"})
		err := newTestSMTP(t, ts, "smtp://"+ts.addr).Send(ctx, testMessage)
		if err == nil || !strings.Contains(err.Error(), "MAIL FROM") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("no auth offered", func(t *testing.T) {
		ts := startServer(t, serverOpts{tls: "starttls"})
		err := newTestSMTP(t, ts, "smtp://luneo:pw@"+ts.addr).Send(ctx, testMessage)
		if err == nil || !strings.Contains(err.Error(), "does not offer AUTH PLAIN") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("recipient refused", func(t *testing.T) {
		ts := startServer(t, serverOpts{})
		ts.rejectRcpt.Store(true)
		err := newTestSMTP(t, ts, "smtp://"+ts.addr+"?tls=none").Send(ctx, testMessage)
		var perm *PermanentError
		if !errors.As(err, &perm) || !strings.Contains(err.Error(), "550") {
			t.Fatalf("got %v, want a permanent 550", err)
		}
	})
	t.Run("temporary failure", func(t *testing.T) {
		ts := startServer(t, serverOpts{})
		ts.failData.Store(true)
		err := newTestSMTP(t, ts, "smtp://"+ts.addr+"?tls=none").Send(ctx, testMessage)
		var perm *PermanentError
		if err == nil || !strings.Contains(err.Error(), "451") || errors.As(err, &perm) {
			t.Fatalf("got %v, want a retryable 451", err)
		}
		if len(ts.messages()) != 0 {
			t.Fatal("message recorded despite 451")
		}
	})
	t.Run("invalid message", func(t *testing.T) {
		s := newTestSMTP(t, nil, "smtp://127.0.0.1:1?tls=none")
		if err := s.Send(ctx, Message{To: "x\r\n@y.co", Subject: "s", Text: "t"}); err == nil {
			t.Fatal("sent an invalid message")
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		err := newTestSMTP(t, nil, "smtp://"+addr+"?tls=none").Send(ctx, testMessage)
		if err == nil || !strings.Contains(err.Error(), "connect to "+addr) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestSMTPTimeouts uses a server that accepts connections and never speaks.
func TestSMTPTimeouts(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := newTestSMTP(t, nil, "smtp://"+l.Addr().String()+"?tls=none")
	s.sendTimeout = 200 * time.Millisecond
	start := time.Now()
	err = s.Send(context.Background(), testMessage)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("send timeout: %v after %v", err, time.Since(start))
	}

	s.sendTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	err = s.Send(ctx, testMessage)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
}
