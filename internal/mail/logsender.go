package mail

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// LogSender is the Sender used without SMTP. In development (NewLogSender)
// it logs whole messages, so confirmation and reset links can be followed
// from the terminal. Anywhere else (NewDropSender) it logs only that a
// message was dropped, to whom and about what: those links carry tokens
// that log an account in or reset its password, and logs are read by far
// more people and programs than the recipient's inbox.
type LogSender struct {
	logger *slog.Logger
	// links logs the body and its links (dev only).
	links bool
}

var _ Sender = (*LogSender)(nil)

// NewLogSender returns the development sender: it logs every message in full.
func NewLogSender(logger *slog.Logger) *LogSender { return &LogSender{logger: logger, links: true} }

// NewDropSender returns the sender of a server without SMTP: it drops every
// message with a warning that names neither its body nor its links.
func NewDropSender(logger *slog.Logger) *LogSender { return &LogSender{logger: logger} }

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Send logs the message. With links, it logs the recipient, subject and
// full text body; log handlers escape the body's line breaks as "\n", which
// terminals take as part of a URL, so each link is also logged on a line of
// its own. Without, it warns that the message was dropped.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if !s.links {
		s.logger.WarnContext(ctx, "email dropped: no SMTP server is configured (LUNEO_SMTP_URL)", "to", m.To, "subject", m.Subject)
		return nil
	}
	s.logger.InfoContext(ctx, "email logged, not sent", "to", m.To, "subject", m.Subject,
		"text", m.Text, "html_bytes", len(m.HTML))
	for _, link := range linkRE.FindAllString(m.Text, -1) {
		s.logger.InfoContext(ctx, "email link", "to", m.To, "url", strings.TrimRight(link, ".,;:!?)]'"))
	}
	return nil
}
