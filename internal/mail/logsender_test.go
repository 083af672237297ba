package mail

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLogSender(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := NewLogSender(slog.New(slog.NewTextHandler(&buf, nil)))
	m := Message{To: "zoe@example.com", Subject: "Reset your password",
		Text: "Hi,\nReset: https://luneo.example/reset?token=abc.\nBye"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"to=zoe@example.com", `subject="Reset your password"`,
		`text="Hi,\nReset: https://luneo.example/reset?token=abc.\nBye"`,
		"url=\"https://luneo.example/reset?token=abc\"\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if err := s.Send(context.Background(), Message{To: "bad"}); err == nil {
		t.Fatal("invalid message logged")
	}
}

// TestDropSenderLogsNoLinks: without SMTP outside dev, a reset or invitation
// link (a token that opens an account) never reaches the log.
func TestDropSenderLogsNoLinks(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := NewDropSender(slog.New(slog.NewJSONHandler(&buf, nil)))
	m := Message{To: "zoe@example.com", Subject: "Reset your password",
		Text: "Hi,\nReset: https://luneo.example/reset-password?token=s3cr3t-t0ken.\nBye", HTML: `<a href="https://luneo.example/reset-password?token=s3cr3t-t0ken">reset</a>`}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, leak := range []string{"s3cr3t-t0ken", "token=", "https://", "Bye"} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{`"level":"WARN"`, "email dropped", "LUNEO_SMTP_URL", `"to":"zoe@example.com"`, `"subject":"Reset your password"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}
