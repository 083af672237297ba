package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/config"
)

// TestServeWithoutSMTPLogsNoTokens: serve and worker without SMTP warn once
// and drop emails without logging their links; dev logs them in full.
func TestServeWithoutSMTPLogsNoTokens(t *testing.T) {
	t.Parallel()
	m := mail.Message{To: "zoe@example.com", Subject: "Reset your Luneo password",
		Text: "Choose a new password here:\n\nhttps://luneo.example/reset-password?token=s3cr3t-t0ken\n"}
	for _, mode := range []config.Mode{config.Serve, config.Worker, config.Dev} {
		var buf bytes.Buffer
		s, err := mailSender(&config.Config{Mode: mode}, slog.New(slog.NewJSONHandler(&buf, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if leaked := strings.Contains(out, "s3cr3t-t0ken"); leaked != (mode == config.Dev) {
			t.Errorf("%s: token in the log = %v:\n%s", mode, leaked, out)
		}
		if mode != config.Dev && (strings.Count(out, "LUNEO_SMTP_URL is not set") != 1 || !strings.Contains(out, "email dropped")) {
			t.Errorf("%s: want one startup warning and a dropped-email warning:\n%s", mode, out)
		}
	}
}
