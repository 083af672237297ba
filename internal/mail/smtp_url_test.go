package mail

import (
	"errors"
	"strings"
	"testing"
)

func TestNewSMTPParsesURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, addr, mode, user, pass, target string
	}{
		{"smtp://mail.example.com", "mail.example.com:587", TLSStartTLS, "", "", "smtp://mail.example.com"},
		{"smtp://u%40x:p%2Fw@mail.example.com:2525/", "mail.example.com:2525", TLSStartTLS, "u@x", "p/w",
			"smtp://u%40x:xxxxx@mail.example.com:2525/"},
		{"smtps://u:p@mail.example.com", "mail.example.com:465", TLSImplicit, "u", "p", "smtps://u:xxxxx@mail.example.com"},
		{"smtp://mail.example.com?tls=tls", "mail.example.com:465", TLSImplicit, "", "", ""},
		{"smtps://mail.example.com?tls=tls", "mail.example.com:465", TLSImplicit, "", "", ""},
		{"smtp://relay?tls=none", "relay:25", TLSNone, "", "", ""},
		{"smtp://u:p@127.0.0.1:1025?tls=none", "127.0.0.1:1025", TLSNone, "u", "p", ""},
		{"smtp://[::1]:25?tls=starttls&helo=app.example.com", "[::1]:25", TLSStartTLS, "", "", ""},
	}
	for _, tt := range tests {
		s, err := NewSMTP(tt.url, "Luneo <no-reply@luneo.example>")
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if s.addr != tt.addr || s.mode != tt.mode || s.user != tt.user || s.pass != tt.pass {
			t.Errorf("%s: got %s %s %q %q", tt.url, s.addr, s.mode, s.user, s.pass)
		}
		if tt.target != "" && s.String() != tt.target {
			t.Errorf("%s: String() = %q, want %q", tt.url, s.String(), tt.target)
		}
		if strings.Contains(s.String(), ":p@") {
			t.Errorf("%s: password in %q", tt.url, s.String())
		}
	}
	if s, _ := NewSMTP("smtp://h?helo=app.example.com", "a@b.co"); s.helo != "app.example.com" {
		t.Errorf("helo %q", s.helo)
	}
}

func TestNewSMTPErrorsAreClear(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, from, want string }{
		{"", "a@b.co", `scheme ""`},
		{"mail.example.com:587", "a@b.co", `scheme "mail.example.com"`},
		{"http://mail.example.com", "a@b.co", `scheme "http": want smtp:// or smtps://`},
		{"smtp://", "a@b.co", "needs a host"},
		{"smtp:mail.example.com", "a@b.co", "needs a host"},
		{"smtp://h:0", "a@b.co", `port "0"`},
		{"smtp://h:70000", "a@b.co", `port "70000"`},
		{"smtp://u:secret@h:abc", "a@b.co", "invalid port"},
		{"smtp://h/path", "a@b.co", `unexpected path "/path"`},
		{"smtp://h?tsl=none", "a@b.co", `unknown parameter "tsl"`},
		{"smtp://h?tls=ssl", "a@b.co", `tls="ssl": want starttls, tls or none`},
		{"smtps://h?tls=none", "a@b.co", "smtps:// always uses implicit TLS"},
		{"smtp://u@h", "a@b.co", "both a user and a password"},
		{"smtp://u:secret@relay.example.com?tls=none", "a@b.co", "only sent to localhost"},
		{"smtp://h", "", "sender"},
		{"smtp://h", "Luneo", "not a valid email address"},
		{"smtp://h", "a@b.co\r\nBcc: x@y.co", "line breaks"},
		{"smtp://h", "a@b.co, c@d.co", "not a valid email address"},
	}
	for _, tt := range tests {
		_, err := NewSMTP(tt.url, tt.from)
		if err == nil {
			t.Errorf("%q %q: accepted", tt.url, tt.from)
			continue
		}
		if !errors.Is(err, ErrBadSMTPURL) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q %q: error %q, want it to mention %q", tt.url, tt.from, err, tt.want)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: password leaked in %q", tt.url, err)
		}
	}
}
