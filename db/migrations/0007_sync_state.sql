CREATE TABLE `sync_deferred` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hub_seq` integer NOT NULL,
	`hlc` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`column_name` text NOT NULL,
	`value` text,
	`reason` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_guard` (
	`id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_rejections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hlc` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`column_name` text NOT NULL,
	`value` text,
	`reason` text NOT NULL,
	`detail` text,
	`rejected_at` text NOT NULL,
	`resolved_at` text,
	`resolution` text
);
--> statement-breakpoint
CREATE INDEX `sync_rejections_open_idx` ON `sync_rejections` (`resolved_at`,`id`);--> statement-breakpoint
CREATE TABLE `sync_snapshot_seen` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	PRIMARY KEY(`table_name`, `row_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`hub_url` text,
	`token` text,
	`user_id` text,
	`enrolled_device_id` text,
	`series_code` text,
	`organization_ids` text,
	`cursor` integer DEFAULT 0 NOT NULL,
	`snapshot_next` text,
	`snapshot_as_of` integer,
	`needs_snapshot` integer DEFAULT true NOT NULL,
	`purge_after_snapshot` integer DEFAULT false NOT NULL,
	`last_sync_at` text,
	`last_attempt_at` text,
	`last_error` text,
	`read_only` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
-- Sync writes the hub's decisions over the store's own guards (an invoice the hub issued
-- under another number, a debit it refused): only inside its transaction, while sync_guard
-- holds a row. Every other writer finds sync_guard empty, so these guards hold as before.
DROP TRIGGER invoices_issued_immutable;
--> statement-breakpoint
CREATE TRIGGER invoices_issued_immutable BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND (
  NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.products_organization_id IS NOT OLD.products_organization_id
  OR NEW.issuer_organization_id IS NOT OLD.issuer_organization_id
  OR NEW.billing_address_id IS NOT OLD.billing_address_id OR NEW.currency IS NOT OLD.currency
  OR NEW.locale IS NOT OLD.locale OR NEW.series IS NOT OLD.series OR NEW.sequence IS NOT OLD.sequence
  OR NEW.number IS NOT OLD.number OR NEW.issued_on IS NOT OLD.issued_on OR NEW.due_on IS NOT OLD.due_on
  OR NEW.bill_to IS NOT OLD.bill_to OR NEW.issuer IS NOT OLD.issuer OR NEW.reverse_charge IS NOT OLD.reverse_charge
  OR NEW.net_minor IS NOT OLD.net_minor OR NEW.vat_minor IS NOT OLD.vat_minor OR NEW.gross_minor IS NOT OLD.gross_minor
  OR NEW.reference_type IS NOT OLD.reference_type OR NEW.payment_reference IS NOT OLD.payment_reference
  OR NEW.corrects_invoice_id IS NOT OLD.corrects_invoice_id OR NEW.converted_from_id IS NOT OLD.converted_from_id
  OR NEW.notes IS NOT OLD.notes OR NEW.created_at IS NOT OLD.created_at OR NEW.deleted_at IS NOT OLD.deleted_at
  OR NEW.import_ref IS NOT OLD.import_ref
)
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
DROP TRIGGER invoices_status_forward;
--> statement-breakpoint
CREATE TRIGGER invoices_status_forward BEFORE UPDATE OF status ON invoices
WHEN OLD.status <> NEW.status AND NOT (
  (OLD.status = 'draft' AND NEW.status IN ('unpaid', 'partially_paid', 'paid'))
  OR (OLD.status = 'unpaid' AND NEW.status IN ('partially_paid', 'paid', 'cancelled'))
  OR (OLD.status = 'partially_paid' AND NEW.status IN ('paid', 'cancelled', 'refunded'))
  OR (OLD.status = 'paid' AND NEW.status = 'refunded')
)
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_status_backwards');
END;
--> statement-breakpoint
DROP TRIGGER invoices_issued_undeletable;
--> statement-breakpoint
CREATE TRIGGER invoices_issued_undeletable BEFORE DELETE ON invoices
WHEN OLD.status <> 'draft'
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
DROP TRIGGER invoice_lines_frozen_insert;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
DROP TRIGGER invoice_lines_frozen_update;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
WHEN ((SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
  OR (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft')
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
DROP TRIGGER invoice_lines_frozen_delete;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
DROP TRIGGER payments_append_only_update;
--> statement-breakpoint
CREATE TRIGGER payments_append_only_update BEFORE UPDATE ON payments
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
DROP TRIGGER payments_append_only_delete;
--> statement-breakpoint
CREATE TRIGGER payments_append_only_delete BEFORE DELETE ON payments
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
DROP TRIGGER ledger_append_only_update;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger_entries
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
DROP TRIGGER ledger_append_only_delete;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger_entries
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
DROP TRIGGER ledger_never_below_zero;
--> statement-breakpoint
CREATE TRIGGER ledger_never_below_zero BEFORE INSERT ON ledger_entries
WHEN NEW.amount_minor < 0 AND COALESCE(
  (SELECT balance_minor FROM prepaid_balances WHERE organization_id = NEW.organization_id AND currency = NEW.currency), 0
) + NEW.amount_minor < 0
  AND NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'prepaid_insufficient_balance');
END;
