package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// compose builds the RFC 5322 message for m: headers, then either one
// text/plain part or a multipart/alternative with text first and HTML last
// (clients show the last part they understand). Bodies are quoted-printable,
// so the message is 7-bit clean and no line exceeds 76 characters whatever
// the input; every line ends in CRLF. m must be valid.
func compose(from, to *mail.Address, m Message, date time.Time, messageID string) ([]byte, error) {
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", formatAddress(from))
	header("To", formatAddress(to))
	header("Subject", encodeHeader(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID)
	// RFC 3834: tells vacation responders and mailing lists not to answer.
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")

	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, content string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("compose %s part: %w", part.typ, err)
		}
		if err := writeQP(w, part.content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("compose message: %w", err)
	}
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// writeQP writes s quoted-printable encoded; its line breaks become CRLF.
func writeQP(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	return nil
}

// formatAddress writes a bare address when there is no display name, which
// some clients show more nicely than "<a@b>"; mail.Address.String quotes and
// RFC 2047-encodes names that need it.
func formatAddress(a *mail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.String()
}

// encodeHeader RFC 2047-encodes s when it is not plain ASCII, or when it
// contains "=?" (which a reader would otherwise try to decode), as base64
// encoded words of at most 45 bytes (never splitting a character), each on
// its own continuation line: a long non-ASCII subject stays far under the
// 998-character line limit.
func encodeHeader(s string) string {
	if !needsEncoding(s) {
		return s
	}
	var words []string
	for len(s) > 0 {
		n := min(len(s), 45)
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

func needsEncoding(s string) bool {
	if strings.Contains(s, "=?") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < ' ' && s[i] != '\t') || s[i] > '~' {
			return true
		}
	}
	return false
}

// newMessageID returns a unique Message-ID in the domain of the sender, which
// is what RFC 5322 suggests and what spam filters expect.
func newMessageID(fromAddr string) string {
	_, domain, _ := strings.Cut(fromAddr, "@")
	if domain == "" {
		domain = "localhost"
	}
	return "<" + rand.Text() + "@" + domain + ">"
}
