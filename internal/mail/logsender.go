package mail

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// LogSender is the development Sender: it logs messages instead of sending
// them, so confirmation and reset links can be followed from the terminal.
type LogSender struct{ logger *slog.Logger }

var _ Sender = (*LogSender)(nil)

// NewLogSender returns a LogSender writing to logger.
func NewLogSender(logger *slog.Logger) *LogSender { return &LogSender{logger: logger} }

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Send logs the recipient, subject and full text body. Log handlers escape
// the body's line breaks as "\n", which terminals take as part of a URL, so
// each link is also logged on a line of its own.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "email logged, not sent", "to", m.To, "subject", m.Subject,
		"text", m.Text, "html_bytes", len(m.HTML))
	for _, link := range linkRE.FindAllString(m.Text, -1) {
		s.logger.InfoContext(ctx, "email link", "to", m.To, "url", strings.TrimRight(link, ".,;:!?)]'"))
	}
	return nil
}
