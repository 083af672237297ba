package order

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
)

// markReady records the stored ZIP and moves the order to ready, and in the
// same transaction emits order.ready and, when the brand wants it, queues
// the email to its owners and admins (so each goes out once, with the order
// ready). An order the brand fulfilled or cancelled meanwhile keeps its
// status and announces nothing.
func (s *Service) markReady(ctx context.Context, o Order, z zipResult) error {
	now := s.stamp()
	st, err := settingsOf(ctx, s.db, o.brandID)
	if err != nil {
		return err
	}
	var to []string
	if st.NotifyEmail {
		if to, err = s.recipients(ctx, o.brandID); err != nil {
			return err
		}
	}
	p := &Production{key: z.key, Size: z.size, SHA256: z.sha256}
	var link DownloadLink
	if len(to) > 0 || s.cfg.Events != nil {
		if link, err = s.link(ctx, o, p, EmailLinkTTL); err != nil {
			return err
		}
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE order_production SET zip_key = $3, zip_size = $4, zip_sha256 = $5, files = $6,
			ready_at = $7, error = '', updated_at = $7 WHERE order_id = $1 AND brand_id = $2`,
			o.ID, o.brandID, z.key, z.size, z.sha256, z.files, now); err != nil {
			return fmt.Errorf("record production ZIP: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE orders SET status = 'ready', updated_at = $3
			WHERE id = $1 AND brand_id = $2 AND status IN ('received', 'producing')`, o.ID, o.brandID, now)
		if err != nil {
			return fmt.Errorf("mark order ready: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // fulfilled or cancelled meanwhile: no email
		}
		ready := o
		ready.Status, ready.UpdatedAt = Ready, now
		ready.Production = &Production{Ready: true, ReadyAt: &now, Size: z.size, SHA256: z.sha256, Files: z.files, key: z.key}
		if err := s.emit(ctx, tx, EventReady, ready, &link); err != nil {
			return err
		}
		for _, addr := range to {
			if _, err := s.outbox.SendTx(ctx, tx, readyEmail(addr, o, link, s.cfg.BaseURL)); err != nil {
				return err
			}
		}
		return nil
	})
}

// recipients are the emails of the members who act on orders (owners
// and admins: orders:write).
func (s *Service) recipients(ctx context.Context, brandID string) ([]string, error) {
	ms, err := s.members.MembersWho(ctx, brandID, brand.OrdersWrite)
	if err != nil {
		return nil, fmt.Errorf("order email recipients: %w", err)
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Email
	}
	return out, nil
}

// readyEmail tells a brand member an order's files are ready.
func readyEmail(to string, o Order, link DownloadLink, baseURL string) mail.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "The production files of order %s are ready (%d lines).\n\n", o.Name, len(o.Lines))
	fmt.Fprintf(&b, "Download the ZIP (this link works until %s):\n%s\n\n", link.ExpiresAt.Format("2006-01-02 15:04 MST"), link.URL)
	if baseURL != "" {
		fmt.Fprintf(&b, "The order in Luneo (a fresh link at any time):\n%s/app/orders/%s\n", strings.TrimRight(baseURL, "/"), o.ID)
	}
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, o.Name)
	return mail.Message{To: to, Subject: "Order " + name + ": production files ready", Text: b.String()}
}
