// Package mail sends Luneo's transactional email (confirmations, invitations,
// password resets) through an outbox: business code writes the message and a
// "send_email" job in its own transaction (Outbox.SendTx), so an email goes out
// if and only if that transaction commits, and the request never waits for an
// SMTP server. The job's worker (SendWorker) delivers it with a Sender: SMTP in
// production, LogSender in development.
package mail

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
)

// Limits on a Message. The body limit keeps one row (and one SMTP DATA) small:
// transactional mail is a few kilobytes, anything larger is a bug or abuse.
const (
	MaxSubjectRunes = 200
	MaxBodyBytes    = 1 << 20
)

// Message is one email to one recipient. It is what the outbox stores.
type Message struct {
	// To is one address, optionally with a display name ("Zoë <zoe@example.com>").
	To string
	// Subject is plain text; non-ASCII is encoded when sent.
	Subject string
	// Text is the plain-text body; every message has one, for clients that
	// show no HTML and for the development log.
	Text string
	// HTML is an optional alternative body.
	HTML string
}

// Validate checks m and returns an *apperr.Error (code Invalid) naming each bad
// field. Header fields must not contain line breaks: a CR or LF in To or
// Subject would let whoever chose the value add headers (header injection).
func (m Message) Validate() error {
	fields := map[string]string{}
	if msg := checkAddress(m.To); msg != "" {
		fields["to"] = msg
	}
	switch n := utf8.RuneCountInString(m.Subject); {
	case strings.TrimSpace(m.Subject) == "":
		fields["subject"] = "is required"
	case !utf8.ValidString(m.Subject):
		fields["subject"] = "is not valid UTF-8"
	case strings.IndexFunc(m.Subject, isHeaderControl) >= 0:
		fields["subject"] = "must not contain line breaks or control characters"
	case n > MaxSubjectRunes:
		fields["subject"] = "must be at most 200 characters"
	}
	switch {
	case strings.TrimSpace(m.Text) == "":
		fields["text"] = "is required"
	case !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML):
		fields["text"] = "bodies must be valid UTF-8"
	case len(m.Text)+len(m.HTML) > MaxBodyBytes:
		fields["text"] = "bodies must be at most 1 MiB together"
	}
	if len(fields) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "invalid email message", Fields: fields}
	}
	return nil
}

// checkAddress returns what is wrong with a single-recipient address, or "".
func checkAddress(s string) string {
	if strings.TrimSpace(s) == "" {
		return "is required"
	}
	// ParseAddress tolerates folding whitespace (CRLF + space), which must
	// never reach a header, so line breaks are refused before parsing.
	if strings.IndexFunc(s, isHeaderControl) >= 0 {
		return "must not contain line breaks or control characters"
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "is not a valid email address"
	}
	// An internationalized address needs SMTPUTF8 end to end, which not
	// every relay offers; refusing it here is clearer than failing later.
	for _, r := range a.Address {
		if r >= utf8.RuneSelf {
			return "must be an ASCII email address"
		}
	}
	if _, domain, _ := strings.Cut(a.Address, "@"); !strings.Contains(domain, ".") && domain != "localhost" {
		return "needs a domain with a dot"
	}
	return ""
}

// isHeaderControl reports characters that may not appear in a header value;
// tab is allowed, as in RFC 5322 unstructured text.
func isHeaderControl(r rune) bool {
	return r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}
