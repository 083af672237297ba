package mail

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := Message{To: "zoe@example.com", Subject: "Confirm your email", Text: "Hello"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid message refused: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Message)
		field string
	}{
		{"empty to", func(m *Message) { m.To = "" }, "to"},
		{"not an address", func(m *Message) { m.To = "zoe" }, "to"},
		{"no domain dot", func(m *Message) { m.To = "zoe@example" }, "to"},
		{"two addresses", func(m *Message) { m.To = "a@example.com, b@example.com" }, "to"},
		{"crlf in to", func(m *Message) { m.To = "zoe@example.com\r\nBcc: all@example.com" }, "to"},
		{"lf in to", func(m *Message) { m.To = "Zoe\n <zoe@example.com>" }, "to"},
		{"folded to", func(m *Message) { m.To = "Zoe\r\n <zoe@example.com>" }, "to"},
		{"nul in to", func(m *Message) { m.To = "zoe\x00@example.com" }, "to"},
		{"non-ascii address", func(m *Message) { m.To = "zoë@example.com" }, "to"},
		{"empty subject", func(m *Message) { m.Subject = " " }, "subject"},
		{"crlf in subject", func(m *Message) { m.Subject = "Hi\r\nBcc: all@example.com" }, "subject"},
		{"cr in subject", func(m *Message) { m.Subject = "Hi\rthere" }, "subject"},
		{"line separator in subject", func(m *Message) { m.Subject = "Hi\u2028there" }, "subject"},
		{"long subject", func(m *Message) { m.Subject = strings.Repeat("é", 201) }, "subject"},
		{"bad utf-8 subject", func(m *Message) { m.Subject = "Hi \xff" }, "subject"},
		{"empty body", func(m *Message) { m.Text = "\n" }, "text"},
		{"html only", func(m *Message) { m.Text, m.HTML = "", "<p>Hi</p>" }, "text"},
		{"huge body", func(m *Message) { m.HTML = strings.Repeat("x", MaxBodyBytes) }, "text"},
		{"bad utf-8 html", func(m *Message) { m.HTML = "\xff" }, "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			err := m.Validate()
			e, isApp := apperr.As(err)
			if !isApp || e.Code != apperr.Invalid {
				t.Fatalf("got %v, want an Invalid apperr", err)
			}
			if e.Fields[tt.field] == "" || len(e.Fields) != 1 {
				t.Fatalf("fields %v, want only %q", e.Fields, tt.field)
			}
		})
	}
	accepted := []Message{
		{To: "Zoë Martin <zoe@example.com>", Subject: "Héllo 👋", Text: "x"},
		{To: `"Martin, Zoe" <zoe+luneo@sub.example.co.uk>`, Subject: strings.Repeat("é", 200), Text: "x", HTML: "<b>x</b>"},
		{To: "dev@localhost", Subject: "Tab\tis fine", Text: "x"},
	}
	for _, m := range accepted {
		if err := m.Validate(); err != nil {
			t.Errorf("%+v refused: %v", m, err)
		}
	}
}
