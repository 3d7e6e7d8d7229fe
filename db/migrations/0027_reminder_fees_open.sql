-- Open reminder fees, maintained (db/glance-fees.ts, where these statements come from; read by
-- core/services/billing/reminder-fees.ts and the dashboard): one row per live fee charge with what
-- is still open of it, so the whole-book dashboard sums the open ones on a partial index instead of
-- looking up every reminder's payments. Device-local derived data (the 'glance_' prefix), never
-- synced. A later table rebuild of reminders, payments, ledger_entries or invoices drops these
-- triggers: re-create them from db/glance-fees.ts (test/integration/glance-fees.test.ts fails otherwise).
CREATE TABLE glance_fees (
  reminder_id TEXT PRIMARY KEY NOT NULL,
  invoice_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  level INTEGER NOT NULL,
  pay_by TEXT NOT NULL,
  fee_minor INTEGER NOT NULL,
  open_minor INTEGER NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX glance_fees_invoice_idx ON glance_fees (invoice_id);
--> statement-breakpoint
CREATE INDEX glance_fees_open_idx ON glance_fees (organization_id, currency, pay_by, open_minor) WHERE open_minor > 0;
--> statement-breakpoint
INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE 1 AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
--> statement-breakpoint
CREATE TRIGGER glance_fees_reminders_ai AFTER INSERT ON reminders WHEN new.fee_minor > 0 BEGIN
  DELETE FROM glance_fees WHERE invoice_id = new.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = new.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_reminders_au AFTER UPDATE OF invoice_id, organization_id, currency, level, pay_by, fee_minor, deleted_at ON reminders WHEN old.fee_minor > 0 OR new.fee_minor > 0 BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
  DELETE FROM glance_fees WHERE invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END);
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END) AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_reminders_ad AFTER DELETE ON reminders WHEN old.fee_minor > 0 BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_payments_ai AFTER INSERT ON payments WHEN new.invoice_id IS NOT NULL AND (new.outcome = 'fee' OR (new.outcome = 'deposited' AND new.deposit_reason = 'reminder_fee')) BEGIN
  DELETE FROM glance_fees WHERE invoice_id = new.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = new.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_payments_au AFTER UPDATE OF invoice_id, amount_minor, outcome, deposit_reason ON payments WHEN (old.outcome = 'fee' OR (old.outcome = 'deposited' AND old.deposit_reason = 'reminder_fee')) OR (new.outcome = 'fee' OR (new.outcome = 'deposited' AND new.deposit_reason = 'reminder_fee')) BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
  DELETE FROM glance_fees WHERE invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END);
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END) AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_payments_ad AFTER DELETE ON payments WHEN (old.outcome = 'fee' OR (old.outcome = 'deposited' AND old.deposit_reason = 'reminder_fee')) BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_ledger_ai AFTER INSERT ON ledger_entries WHEN new.invoice_id IS NOT NULL AND (new.kind = 'deposit' AND new.note = 'fee_overpaid_at_sync') BEGIN
  DELETE FROM glance_fees WHERE invoice_id = new.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = new.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_ledger_au AFTER UPDATE OF invoice_id, amount_minor, kind, note ON ledger_entries WHEN (old.kind = 'deposit' AND old.note = 'fee_overpaid_at_sync') OR (new.kind = 'deposit' AND new.note = 'fee_overpaid_at_sync') BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
  DELETE FROM glance_fees WHERE invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END);
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = (CASE WHEN new.invoice_id IS NOT old.invoice_id THEN new.invoice_id END) AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_ledger_ad AFTER DELETE ON ledger_entries WHEN (old.kind = 'deposit' AND old.note = 'fee_overpaid_at_sync') BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.invoice_id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = old.invoice_id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_invoices_au AFTER UPDATE OF status ON invoices WHEN (old.status IN ('cancelled', 'refunded')) IS NOT (new.status IN ('cancelled', 'refunded')) BEGIN
  DELETE FROM glance_fees WHERE invoice_id = new.id;
  INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            (coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = r.invoice_id AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = r.invoice_id AND (e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync')), 0)) AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE r.invoice_id = new.id AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'));
END;
--> statement-breakpoint
CREATE TRIGGER glance_fees_invoices_ad AFTER DELETE ON invoices BEGIN
  DELETE FROM glance_fees WHERE invoice_id = old.id;
END;
