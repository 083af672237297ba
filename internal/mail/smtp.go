package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// SMTP delivers messages to one SMTP server (a provider's relay or a local
// MTA), one connection per message: transactional mail is rare enough that
// pooling connections is not worth the failure modes of stale ones.
type SMTP struct {
	addr       string // host:port
	host       string // for TLS verification and net/smtp's PLAIN check
	mode       string // TLSStartTLS, TLSImplicit or TLSNone
	user, pass string
	helo       string
	from       *mail.Address
	target     string // the URL without password, for logs
	// tlsConfig is cloned for each connection; tests trust their own CA here.
	tlsConfig   *tls.Config
	dialTimeout time.Duration
	sendTimeout time.Duration
	now         func() time.Time
}

var _ Sender = (*SMTP)(nil)

// PermanentError marks a failure that retrying cannot fix: today, the server
// refusing the recipient with a 5xx reply (no such mailbox). Other failures,
// 5xx ones included (a sender not yet verified, bad credentials), are
// retried, since fixing the configuration should still let the mail through.
type PermanentError struct{ Err error }

// Error returns the cause's message.
func (e *PermanentError) Error() string { return e.Err.Error() }

// Unwrap exposes the cause to errors.Is/As.
func (e *PermanentError) Unwrap() error { return e.Err }

// String describes the server without its password, for logs.
func (s *SMTP) String() string { return s.target }

// Send delivers m, giving up after the send timeout or when ctx ends. It
// returns once the server has accepted the message (250 after DATA).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	msg, err := compose(s.from, to, m, s.now(), newMessageID(s.from.Address))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.sendTimeout)
	defer cancel()
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", s.addr, err)
	}
	defer conn.Close()
	// net/smtp has no context: when ctx ends (the send timeout, shutdown),
	// moving the connection's deadline to now unblocks any read or write.
	// Doing it from ctx alone, rather than also setting ctx's deadline on
	// conn, guarantees that ctx.Err() explains the failure.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := s.converse(conn, to.Address, msg); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("smtp: %s: %w (%w)", s.addr, ctx.Err(), err)
		}
		return fmt.Errorf("smtp: %s: %w", s.addr, err)
	}
	return nil
}

// dial opens the TCP connection, with TLS from the start in implicit mode.
func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	nd := &net.Dialer{Timeout: s.dialTimeout}
	if s.mode == TLSImplicit {
		td := &tls.Dialer{NetDialer: nd, Config: s.tlsConfig.Clone()}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return nd.DialContext(ctx, "tcp", s.addr)
}

// converse runs the SMTP dialogue for one message on conn.
func (s *SMTP) converse(conn net.Conn, rcpt string, msg []byte) error {
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(s.helo); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if s.mode == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("server does not offer STARTTLS (use ?tls=none only for a trusted local relay)")
		}
		if err := c.StartTLS(s.tlsConfig.Clone()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if s.user != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			return fmt.Errorf("server does not offer AUTH PLAIN (offers %q)", mechs)
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		err = fmt.Errorf("RCPT TO: %w", err)
		if isPermanentReply(err) {
			return &PermanentError{Err: err}
		}
		return err
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("message not accepted: %w", err)
	}
	// The message is accepted: a failed QUIT must not make the caller retry
	// and deliver it twice.
	_ = c.Quit()
	return nil
}

// isPermanentReply reports a 5xx reply other than those about authentication
// (530, 534, 535, 538), which a configuration change can fix.
func isPermanentReply(err error) bool {
	var te *textproto.Error
	if !errors.As(err, &te) {
		return false
	}
	return te.Code >= 500 && te.Code < 600 && te.Code != 530 && te.Code != 534 && te.Code != 535 && te.Code != 538
}
