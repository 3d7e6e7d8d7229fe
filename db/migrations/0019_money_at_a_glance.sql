-- Money at a glance (core/services/dashboard.service.ts): covering indexes so what is open by
-- age and what was earned per month are index range walks, never a read of the invoices table.
-- Open invoices: status and kind first (the query's equalities), the payer next (one
-- organization's overview), then what the ages and sums read.
CREATE INDEX invoices_open_cover_idx ON invoices (status, kind, organization_id, currency, due_on, gross_minor, paid_minor, deleted_at) WHERE deleted_at IS NULL;
--> statement-breakpoint
-- Revenue of the last 12 months: a range on the issue date, then what the sums read.
-- deleted_at is in both although the indexes hold live rows only: SQLite counts a column the
-- query names as read from the table unless the index carries it.
CREATE INDEX invoices_revenue_cover_idx ON invoices (issued_on, kind, status, currency, organization_id, gross_minor, deleted_at) WHERE deleted_at IS NULL;
