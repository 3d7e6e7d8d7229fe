-- Search index upkeep, set-based (db/search-index.ts). The triggers of 0013 wrote the FTS5
-- tables row by row; a trigger that writes a virtual table makes every INSERT into its table
-- keep a statement journal (each touched page copied first), which made the bulk write 2-2.4x
-- slower. These triggers only note which rows changed; db/search-index.ts indexes the notes
-- set-based before the transaction commits (every transaction of db/open.ts's connections),
-- and at open whatever a writer outside Kontor noted. Same names as 0013's triggers:
-- test/integration/search-index-consistency.test.ts fails if a later table rebuild drops them
-- (copy them from here then).
CREATE TABLE search_pending (
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL
);
--> statement-breakpoint
DROP TRIGGER search_organizations_ai;
--> statement-breakpoint
DROP TRIGGER search_organizations_au;
--> statement-breakpoint
DROP TRIGGER search_organizations_ad;
--> statement-breakpoint
DROP TRIGGER search_people_ai;
--> statement-breakpoint
DROP TRIGGER search_people_au;
--> statement-breakpoint
DROP TRIGGER search_people_ad;
--> statement-breakpoint
DROP TRIGGER search_products_ai;
--> statement-breakpoint
DROP TRIGGER search_products_au;
--> statement-breakpoint
DROP TRIGGER search_products_ad;
--> statement-breakpoint
DROP TRIGGER search_invoices_ai;
--> statement-breakpoint
DROP TRIGGER search_invoices_au;
--> statement-breakpoint
DROP TRIGGER search_invoices_ad;
--> statement-breakpoint
DROP TRIGGER search_addresses_ai;
--> statement-breakpoint
DROP TRIGGER search_addresses_au;
--> statement-breakpoint
DROP TRIGGER search_addresses_ad;
--> statement-breakpoint
CREATE TRIGGER search_organizations_ai AFTER INSERT ON organizations BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_organizations_au AFTER UPDATE OF name, short_name, uid, vat_number, deleted_at ON organizations BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', new.id);
  -- An invoice without a snapshot of whom it bills is found by its payer's current name.
  INSERT INTO search_pending (kind, ref_id) SELECT 'invoice', id FROM invoices WHERE organization_id = new.id AND bill_to IS NULL AND new.name IS NOT old.name;
END;
--> statement-breakpoint
CREATE TRIGGER search_organizations_ad AFTER DELETE ON organizations BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', old.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_people_ai AFTER INSERT ON people BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('person', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_people_au AFTER UPDATE OF name, email, deleted_at ON people BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('person', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_people_ad AFTER DELETE ON people BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('person', old.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_products_ai AFTER INSERT ON products BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('product', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_products_au AFTER UPDATE OF name, deleted_at ON products BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('product', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_products_ad AFTER DELETE ON products BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('product', old.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_invoices_ai AFTER INSERT ON invoices BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('invoice', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_invoices_au AFTER UPDATE OF number, bill_to, gross_minor, payment_reference, import_ref, organization_id, deleted_at ON invoices BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('invoice', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_invoices_ad AFTER DELETE ON invoices BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('invoice', old.id);
END;
--> statement-breakpoint
-- An organization is also found by the cities of its billing addresses.
CREATE TRIGGER search_addresses_ai AFTER INSERT ON billing_addresses BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', new.organization_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_addresses_au AFTER UPDATE OF city, organization_id, deleted_at ON billing_addresses BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', new.organization_id), ('organization', old.organization_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_addresses_ad AFTER DELETE ON billing_addresses BEGIN
  INSERT INTO search_pending (kind, ref_id) VALUES ('organization', old.organization_id);
END;
