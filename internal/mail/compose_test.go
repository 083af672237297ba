package mail

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// parsed is a received message decoded the way a mail client would.
type parsed struct {
	header      mail.Header
	subject     string
	contentType string
	text, html  string // decoded bodies, line breaks as "\n"
}

// parseMessage decodes data with the standard library alone, failing t on
// anything a strict reader would reject.
func parseMessage(t testing.TB, data []byte) parsed {
	t.Helper()
	for i, line := range bytes.Split(data, []byte("\r\n")) {
		if len(line) > 998 {
			t.Fatalf("line %d is %d bytes long", i, len(line))
		}
		if bytes.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, line)
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("line %d is not 7-bit: %q", i, line)
			}
		}
	}
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	var p parsed
	p.header = msg.Header
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	p.contentType = mediaType
	switch mediaType {
	case "text/plain":
		if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Fatalf("transfer encoding %q", cte)
		}
		p.text = readAllString(t, quotedprintable.NewReader(msg.Body))
	case "multipart/alternative":
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var types []string
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("next part: %v", err)
			}
			if cte := part.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
				t.Fatalf("part transfer encoding %q", cte)
			}
			body := readAllString(t, quotedprintable.NewReader(part))
			switch ct := part.Header.Get("Content-Type"); ct {
			case "text/plain; charset=utf-8":
				p.text = body
			case "text/html; charset=utf-8":
				p.html = body
			default:
				t.Fatalf("unexpected part type %q", ct)
			}
			types = append(types, part.Header.Get("Content-Type"))
		}
		if len(types) != 2 || !strings.HasPrefix(types[0], "text/plain") {
			t.Fatalf("parts %v, want text then html", types)
		}
	default:
		t.Fatalf("unexpected content type %q", mediaType)
	}
	return p
}

func readAllString(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return normalizeBreaks(string(b))
}

// normalizeBreaks turns CRLF and lone CR into LF, as a mail client shows them.
func normalizeBreaks(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func mustAddr(t testing.TB, s string) *mail.Address {
	t.Helper()
	a, err := mail.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestComposeHeadersAndParts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Ünïcödé ", 25) // 200 runes, 1,200 bytes encoded
	link := "https://luneo.example/confirm?token=" + strings.Repeat("a", 120)
	m := Message{
		To:      "Zoë Martin <zoe@example.com>",
		Subject: long,
		Text:    "Hello Zoë,\n.\nConfirm: " + link + "\ntrailing space \n",
		HTML:    "<p>Hello Zoë,</p>\n<p><a href=\"" + link + "\">Confirm</a></p>",
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	data, err := compose(mustAddr(t, "Luneo <no-reply@luneo.example>"), mustAddr(t, m.To), m, date, "<id@luneo.example>")
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, data)
	if p.subject != long {
		t.Errorf("subject %q, want %q", p.subject, long)
	}
	from, _ := p.header.AddressList("From")
	to, _ := p.header.AddressList("To")
	if len(from) != 1 || from[0].Address != "no-reply@luneo.example" || from[0].Name != "Luneo" {
		t.Errorf("From %v", from)
	}
	if len(to) != 1 || to[0].Address != "zoe@example.com" || to[0].Name != "Zoë Martin" {
		t.Errorf("To %v", to)
	}
	if d, err := p.header.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date %v %v", d, err)
	}
	for h, want := range map[string]string{"Message-ID": "<id@luneo.example>", "MIME-Version": "1.0", "Auto-Submitted": "auto-generated"} {
		if got := p.header.Get(h); got != want {
			t.Errorf("%s %q, want %q", h, got, want)
		}
	}
	if p.contentType != "multipart/alternative" || p.text != m.Text || p.html != m.HTML {
		t.Errorf("parts %q:\ntext %q\nhtml %q", p.contentType, p.text, p.html)
	}

	m.HTML = ""
	m.Subject = "Plain =?utf-8?q?not_encoded?= subject"
	data, err = compose(mustAddr(t, "no-reply@luneo.example"), mustAddr(t, "zoe@example.com"), m, date, "<x@y>")
	if err != nil {
		t.Fatal(err)
	}
	p = parseMessage(t, data)
	if p.contentType != "text/plain" || p.text != m.Text || p.subject != m.Subject {
		t.Errorf("single part: %q %q %q", p.contentType, p.subject, p.text)
	}
	if got := p.header.Get("To"); got != "zoe@example.com" {
		t.Errorf("bare To header %q", got)
	}
}

func TestMessageIDIsUniqueInSenderDomain(t *testing.T) {
	t.Parallel()
	a, b := newMessageID("no-reply@luneo.example"), newMessageID("no-reply@luneo.example")
	if a == b || !strings.HasSuffix(a, "@luneo.example>") || !strings.HasPrefix(a, "<") {
		t.Fatalf("ids %q %q", a, b)
	}
}

// FuzzCompose checks that every valid message composes into one that a
// standard reader decodes back to the same recipient, subject and bodies.
func FuzzCompose(f *testing.F) {
	f.Add("Zoë <zoe@example.com>", "Héllo", "Hi\n.\nthere", "<p>Hi</p>")
	f.Add("a@b.co", "=?utf-8?q?x?=", "line\r\r\nend \t", "")
	f.Add(`"a\"b" <a@b.co>`, strings.Repeat("€", 200), strings.Repeat("x", 300), "\r")
	from := &mail.Address{Name: "Luneo", Address: "no-reply@luneo.example"}
	f.Fuzz(func(t *testing.T, to, subject, text, html string) {
		m := Message{To: to, Subject: subject, Text: text, HTML: html}
		if m.Validate() != nil {
			return
		}
		toAddr := mustAddr(t, to)
		data, err := compose(from, toAddr, m, time.Now(), "<id@luneo.example>")
		if err != nil {
			t.Fatal(err)
		}
		p := parseMessage(t, data)
		got, err := p.header.AddressList("To")
		if err != nil || len(got) != 1 || got[0].Address != toAddr.Address {
			t.Fatalf("To %v (%v), want %v", got, err, toAddr)
		}
		if p.subject != strings.TrimSpace(subject) && p.subject != subject {
			t.Fatalf("subject %q, want %q", p.subject, subject)
		}
		if p.text != normalizeBreaks(text) || p.html != normalizeBreaks(html) {
			t.Fatalf("bodies %q %q, want %q %q", p.text, p.html, text, html)
		}
	})
}
