package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrBadSMTPURL is returned (wrapped) when the SMTP URL or sender cannot be used.
var ErrBadSMTPURL = errors.New("invalid SMTP configuration")

// TLS modes of an SMTP connection.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS before
	// anything else; a server that does not offer it is an error, because
	// silently sending in clear text is what a downgrade attack wants.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (smtps://, port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts: only for a relay on the same host or network.
	TLSNone = "none"
)

// Default timeouts: dialing, and the whole conversation of one message.
const (
	DefaultDialTimeout = 10 * time.Second
	DefaultSendTimeout = 30 * time.Second
)

// NewSMTP returns a Sender delivering through the server of rawURL, from the
// address from (for example "Luneo <no-reply@example.com>"). Accepted URLs:
//
//	smtp://user:pass@host:587               STARTTLS, required (the default)
//	smtps://user:pass@host:465              implicit TLS (also smtp://…?tls=tls)
//	smtp://relay:25?tls=none                no TLS, for a local relay
//
// The port defaults to 587, 465 or 25 by mode; credentials are optional (AUTH
// PLAIN) and percent-encoded in the URL; ?helo=name sets the EHLO name (the
// host name by default). Without TLS, credentials are only sent to localhost.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the URL, password included: keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: SMTP URL: %v", ErrBadSMTPURL, err)
	}
	s := &SMTP{
		dialTimeout: DefaultDialTimeout,
		sendTimeout: DefaultSendTimeout,
		now:         time.Now,
	}
	if err := s.parseURL(u); err != nil {
		return nil, fmt.Errorf("%w: SMTP URL %s: %w", ErrBadSMTPURL, redactURL(u), err)
	}
	if s.from, err = parseFrom(from); err != nil {
		return nil, fmt.Errorf("%w: sender %q: %w", ErrBadSMTPURL, from, err)
	}
	s.target = redactURL(u)
	return s, nil
}

// parseURL fills s from u; its errors say what to change.
func (s *SMTP) parseURL(u *url.URL) error {
	switch u.Scheme {
	case "smtp":
		s.mode = TLSStartTLS
	case "smtps":
		s.mode = TLSImplicit
	default:
		return fmt.Errorf("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return errors.New("needs a host, as in smtp://host:587")
	}
	if u.Path != "" && u.Path != "/" {
		return fmt.Errorf("unexpected path %q", u.Path)
	}
	q := u.Query()
	for key := range q {
		if key != "tls" && key != "helo" {
			return fmt.Errorf("unknown parameter %q (known: tls, helo)", key)
		}
	}
	if mode := q.Get("tls"); mode != "" {
		switch {
		case mode != TLSStartTLS && mode != TLSImplicit && mode != TLSNone:
			return fmt.Errorf("tls=%q: want starttls, tls or none", mode)
		case u.Scheme == "smtps" && mode != TLSImplicit:
			return fmt.Errorf("smtps:// always uses implicit TLS, tls=%s contradicts it", mode)
		}
		s.mode = mode
	}
	s.host = u.Hostname()
	port := map[string]string{TLSStartTLS: "587", TLSImplicit: "465", TLSNone: "25"}[s.mode]
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q: want 1 to 65535", p)
		}
		port = p
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.user == "" || s.pass == "" {
			return errors.New("credentials need both a user and a password (user:pass@)")
		}
		// net/smtp refuses PLAIN over clear text except to these names;
		// saying so now beats failing on the first email.
		if s.mode == TLSNone && s.host != "localhost" && s.host != "127.0.0.1" && s.host != "::1" {
			return errors.New("credentials over tls=none are only sent to localhost; use starttls or tls")
		}
	}
	s.helo = q.Get("helo")
	if s.helo == "" {
		s.helo, _ = os.Hostname()
	}
	if s.helo == "" || strings.ContainsAny(s.helo, " \t\r\n") {
		s.helo = "localhost"
	}
	s.tlsConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	return nil
}

// parseFrom checks the sender: one ASCII address with an optional name.
func parseFrom(from string) (*mail.Address, error) {
	if msg := checkAddress(from); msg != "" {
		return nil, errors.New(msg)
	}
	return mail.ParseAddress(from)
}

// redactURL returns u without its password, for errors and logs.
func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, has := c.User.Password(); has {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		}
	}
	return c.String()
}
