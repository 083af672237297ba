package obs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestRequestIDOnEveryLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := NewLogger(&buf, "json", slog.LevelInfo).With("component", "test")
	ctx := WithRequestID(context.Background(), "req-42")
	l.InfoContext(ctx, "one")
	l.WithGroup("g").InfoContext(ctx, "two", "k", 1)
	l.Info("three")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"request_id":"req-42"`) || !strings.Contains(lines[1], `"req-42"`) {
		t.Fatalf("lines:\n%s", buf.String())
	}
	if strings.Contains(lines[2], "request_id") {
		t.Fatalf("a line without a request context got an ID: %s", lines[2])
	}
}

func TestQuieter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := Quieter(NewLogger(&buf, "text", slog.LevelDebug), slog.LevelWarn)
	l.Info("chatter")
	l.Warn("matters")
	if strings.Contains(buf.String(), "chatter") || !strings.Contains(buf.String(), "matters") {
		t.Fatalf("got %q", buf.String())
	}
}
