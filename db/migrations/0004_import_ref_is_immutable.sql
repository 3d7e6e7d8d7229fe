-- An issued invoice's import reference is frozen like every other field.
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
BEGIN
  SELECT RAISE(ABORT, 'invoice_issued_immutable');
END;
