-- The fee check of store orders (internal/order/fee.go): what the store
-- charged for a line's personalization, what Luneo's quote of the locked
-- design version says it costs (both in minor units of fee_currency, for
-- the line's whole quantity), and the issue found, if any. NULL charged:
-- the store reported nothing to check (API orders).
ALTER TABLE order_lines ADD COLUMN fee_charged BIGINT;
ALTER TABLE order_lines ADD COLUMN fee_quoted BIGINT;
ALTER TABLE order_lines ADD COLUMN fee_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN price_issue TEXT NOT NULL DEFAULT '';

-- order.ready is now emitted in the transaction that marks the order ready
-- (internal/order/events.go), so the claim of the old after-the-fact
-- notification is no longer needed.
ALTER TABLE order_production DROP COLUMN notified_at;
