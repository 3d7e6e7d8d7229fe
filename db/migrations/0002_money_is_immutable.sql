-- Issued documents and money records are immutable in the store itself, not only in the
-- services: a bug, a script or a sync merge cannot rewrite them. The RAISE messages are
-- Kontor error codes, which the router translates.

-- An issued invoice keeps every field; only its status and the amount paid move, forward.
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
)
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_status_forward BEFORE UPDATE OF status ON invoices
WHEN OLD.status <> NEW.status AND NOT (
  (OLD.status = 'draft' AND NEW.status IN ('unpaid', 'partially_paid', 'paid'))
  OR (OLD.status = 'unpaid' AND NEW.status IN ('partially_paid', 'paid', 'cancelled'))
  OR (OLD.status = 'partially_paid' AND NEW.status IN ('paid', 'cancelled', 'refunded'))
  OR (OLD.status = 'paid' AND NEW.status = 'refunded')
)
BEGIN
  SELECT RAISE(ABORT, 'invoice_status_backwards');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_issued_undeletable BEFORE DELETE ON invoices
WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
  OR (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER payments_append_only_update BEFORE UPDATE ON payments
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER payments_append_only_delete BEFORE DELETE ON payments
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
-- The balance never goes below zero: checked against the derived balance, O(1).
CREATE TRIGGER ledger_never_below_zero BEFORE INSERT ON ledger_entries
WHEN NEW.amount_minor < 0 AND COALESCE(
  (SELECT balance_minor FROM prepaid_balances WHERE organization_id = NEW.organization_id AND currency = NEW.currency), 0
) + NEW.amount_minor < 0
BEGIN
  SELECT RAISE(ABORT, 'prepaid_insufficient_balance');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_balance_follows AFTER INSERT ON ledger_entries
BEGIN
  INSERT OR IGNORE INTO prepaid_balances (organization_id, currency, balance_minor)
    VALUES (NEW.organization_id, NEW.currency, 0);
  UPDATE prepaid_balances SET balance_minor = balance_minor + NEW.amount_minor
    WHERE organization_id = NEW.organization_id AND currency = NEW.currency;
END;
