-- Money at a glance, maintained (db/glance.ts, core/services/dashboard.service.ts): the whole
-- book's open invoices per currency and due date, and its revenue per currency and issue date,
-- so the home dashboard reads a few hundred rows instead of walking a million invoices.
-- Device-local derived data: never synced, not in common/authority (each device sums its own
-- rows; LOCAL_DERIVED_TABLE_PREFIXES in db/sync/tables.ts). Triggers keep both in the same
-- transaction as every write; bulk paths set the insert trigger aside and add their rows
-- set-based (db/derived-inserts.ts). A due date of '' is an invoice without one.
-- A later table rebuild of invoices drops these triggers: re-create them from here
-- (test/integration/glance-aggregates.test.ts fails otherwise).
CREATE TABLE glance_open (
  currency TEXT NOT NULL,
  due_on TEXT NOT NULL,
  n INTEGER NOT NULL,
  due_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, due_on)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE glance_revenue (
  issued_on TEXT NOT NULL,
  currency TEXT NOT NULL,
  n INTEGER NOT NULL,
  gross_minor INTEGER NOT NULL,
  PRIMARY KEY (issued_on, currency)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO glance_open (currency, due_on, n, due_minor)
  SELECT currency, coalesce(due_on, ''), count(*), sum(gross_minor - paid_minor) FROM invoices o
  WHERE o.kind = 'invoice' AND o.status IN ('unpaid', 'partially_paid') AND o.deleted_at IS NULL GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
  SELECT issued_on, currency, count(*), sum(CASE WHEN kind = 'credit_note' THEN -gross_minor ELSE gross_minor END) FROM invoices o
  WHERE o.kind IN ('invoice', 'credit_note') AND o.status NOT IN ('draft', 'cancelled') AND o.deleted_at IS NULL GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER glance_invoices_ai AFTER INSERT ON invoices BEGIN
  INSERT INTO glance_open (currency, due_on, n, due_minor)
    SELECT new.currency, coalesce(new.due_on, ''), 1, (new.gross_minor - new.paid_minor) WHERE new.kind = 'invoice' AND new.status IN ('unpaid', 'partially_paid') AND new.deleted_at IS NULL
    ON CONFLICT (currency, due_on) DO UPDATE SET n = n + excluded.n, due_minor = due_minor + excluded.due_minor;
  INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
    SELECT new.issued_on, new.currency, 1, (CASE WHEN new.kind = 'credit_note' THEN -new.gross_minor ELSE new.gross_minor END) WHERE new.kind IN ('invoice', 'credit_note') AND new.status NOT IN ('draft', 'cancelled') AND new.deleted_at IS NULL
    ON CONFLICT (issued_on, currency) DO UPDATE SET n = n + excluded.n, gross_minor = gross_minor + excluded.gross_minor;
END;
--> statement-breakpoint
CREATE TRIGGER glance_invoices_au AFTER UPDATE OF kind, status, currency, due_on, issued_on, gross_minor, paid_minor, deleted_at ON invoices BEGIN
  INSERT INTO glance_open (currency, due_on, n, due_minor)
    SELECT old.currency, coalesce(old.due_on, ''), -1, -(old.gross_minor - old.paid_minor) WHERE old.kind = 'invoice' AND old.status IN ('unpaid', 'partially_paid') AND old.deleted_at IS NULL
    ON CONFLICT (currency, due_on) DO UPDATE SET n = n + excluded.n, due_minor = due_minor + excluded.due_minor;
  INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
    SELECT old.issued_on, old.currency, -1, -(CASE WHEN old.kind = 'credit_note' THEN -old.gross_minor ELSE old.gross_minor END) WHERE old.kind IN ('invoice', 'credit_note') AND old.status NOT IN ('draft', 'cancelled') AND old.deleted_at IS NULL
    ON CONFLICT (issued_on, currency) DO UPDATE SET n = n + excluded.n, gross_minor = gross_minor + excluded.gross_minor;
  INSERT INTO glance_open (currency, due_on, n, due_minor)
    SELECT new.currency, coalesce(new.due_on, ''), 1, (new.gross_minor - new.paid_minor) WHERE new.kind = 'invoice' AND new.status IN ('unpaid', 'partially_paid') AND new.deleted_at IS NULL
    ON CONFLICT (currency, due_on) DO UPDATE SET n = n + excluded.n, due_minor = due_minor + excluded.due_minor;
  INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
    SELECT new.issued_on, new.currency, 1, (CASE WHEN new.kind = 'credit_note' THEN -new.gross_minor ELSE new.gross_minor END) WHERE new.kind IN ('invoice', 'credit_note') AND new.status NOT IN ('draft', 'cancelled') AND new.deleted_at IS NULL
    ON CONFLICT (issued_on, currency) DO UPDATE SET n = n + excluded.n, gross_minor = gross_minor + excluded.gross_minor;
END;
--> statement-breakpoint
CREATE TRIGGER glance_invoices_ad AFTER DELETE ON invoices BEGIN
  INSERT INTO glance_open (currency, due_on, n, due_minor)
    SELECT old.currency, coalesce(old.due_on, ''), -1, -(old.gross_minor - old.paid_minor) WHERE old.kind = 'invoice' AND old.status IN ('unpaid', 'partially_paid') AND old.deleted_at IS NULL
    ON CONFLICT (currency, due_on) DO UPDATE SET n = n + excluded.n, due_minor = due_minor + excluded.due_minor;
  INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
    SELECT old.issued_on, old.currency, -1, -(CASE WHEN old.kind = 'credit_note' THEN -old.gross_minor ELSE old.gross_minor END) WHERE old.kind IN ('invoice', 'credit_note') AND old.status NOT IN ('draft', 'cancelled') AND old.deleted_at IS NULL
    ON CONFLICT (issued_on, currency) DO UPDATE SET n = n + excluded.n, gross_minor = gross_minor + excluded.gross_minor;
END;
