-- Search (core/services/search): derived, local-only data, never synced (db/sync/tables.ts).
-- One FTS5 index per kind, contentless (the text lives in the tables already) with
-- contentless_delete so a row is re-indexed by deleting its entry. FTS rowids come from
-- search_docs, whose INTEGER PRIMARY KEY survives VACUUM (the hidden rowid of a table with a
-- text key may not). Triggers keep every index current in the same transaction as the write,
-- whoever writes: services, bulk imports, sync apply, purges.
-- A table rebuild in a later migration drops these triggers with the table: re-create them
-- there (test/integration/search-index-consistency.test.ts fails otherwise).
CREATE TABLE search_docs (
  doc_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX search_docs_ref_uq ON search_docs (ref_id, kind);
--> statement-breakpoint
CREATE VIRTUAL TABLE search_organizations USING fts5(words, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');
--> statement-breakpoint
CREATE VIRTUAL TABLE search_people USING fts5(words, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');
--> statement-breakpoint
CREATE VIRTUAL TABLE search_products USING fts5(words, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');
--> statement-breakpoint
CREATE VIRTUAL TABLE search_invoices USING fts5(words, amount, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');
--> statement-breakpoint
INSERT INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE deleted_at IS NULL ORDER BY rowid;
--> statement-breakpoint
INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.deleted_at IS NULL;
--> statement-breakpoint
CREATE TRIGGER search_organizations_ai AFTER INSERT ON organizations BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_organizations_au AFTER UPDATE OF name, short_name, uid, vat_number, deleted_at ON organizations BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = new.id AND o.deleted_at IS NULL;
  DELETE FROM search_invoices WHERE rowid IN (SELECT d.doc_id FROM invoices i JOIN search_docs d ON d.ref_id = i.id AND d.kind = 'invoice' WHERE i.organization_id = new.id AND i.bill_to IS NULL);
  INSERT INTO search_invoices (rowid, words, amount) SELECT d.doc_id, coalesce(o.number, '') || ' ' || coalesce(CASE WHEN json_valid(o.bill_to) THEN json_extract(o.bill_to, '$.name') END, (SELECT c.name FROM organizations c WHERE c.id = o.organization_id), '') || ' ' || coalesce(o.payment_reference || ' ' || replace(o.payment_reference, ' ', ''), '') || ' ' || coalesce(o.import_ref, ''), abs(o.gross_minor) FROM invoices o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'invoice' WHERE o.organization_id = new.id AND o.bill_to IS NULL AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_organizations_ad AFTER DELETE ON organizations BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = old.id AND kind = 'organization';
END;
--> statement-breakpoint
INSERT INTO search_docs (kind, ref_id) SELECT 'person', id FROM people WHERE deleted_at IS NULL ORDER BY rowid;
--> statement-breakpoint
INSERT INTO search_people (rowid, words) SELECT d.doc_id, o.name || ' ' || o.email FROM people o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'person' WHERE o.deleted_at IS NULL;
--> statement-breakpoint
CREATE TRIGGER search_people_ai AFTER INSERT ON people BEGIN
  DELETE FROM search_people WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'person');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'person' AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'person', id FROM people WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_people (rowid, words) SELECT d.doc_id, o.name || ' ' || o.email FROM people o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'person' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_people_au AFTER UPDATE OF name, email, deleted_at ON people BEGIN
  DELETE FROM search_people WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'person');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'person' AND NOT EXISTS (SELECT 1 FROM people WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'person', id FROM people WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_people (rowid, words) SELECT d.doc_id, o.name || ' ' || o.email FROM people o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'person' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_people_ad AFTER DELETE ON people BEGIN
  DELETE FROM search_people WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.id AND kind = 'person');
  DELETE FROM search_docs WHERE ref_id = old.id AND kind = 'person';
END;
--> statement-breakpoint
INSERT INTO search_docs (kind, ref_id) SELECT 'product', id FROM products WHERE deleted_at IS NULL ORDER BY rowid;
--> statement-breakpoint
INSERT INTO search_products (rowid, words) SELECT d.doc_id, o.name FROM products o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'product' WHERE o.deleted_at IS NULL;
--> statement-breakpoint
CREATE TRIGGER search_products_ai AFTER INSERT ON products BEGIN
  DELETE FROM search_products WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'product');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'product' AND NOT EXISTS (SELECT 1 FROM products WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'product', id FROM products WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_products (rowid, words) SELECT d.doc_id, o.name FROM products o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'product' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_products_au AFTER UPDATE OF name, deleted_at ON products BEGIN
  DELETE FROM search_products WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'product');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'product' AND NOT EXISTS (SELECT 1 FROM products WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'product', id FROM products WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_products (rowid, words) SELECT d.doc_id, o.name FROM products o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'product' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_products_ad AFTER DELETE ON products BEGIN
  DELETE FROM search_products WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.id AND kind = 'product');
  DELETE FROM search_docs WHERE ref_id = old.id AND kind = 'product';
END;
--> statement-breakpoint
INSERT INTO search_docs (kind, ref_id) SELECT 'invoice', id FROM invoices WHERE deleted_at IS NULL ORDER BY rowid;
--> statement-breakpoint
INSERT INTO search_invoices (rowid, words, amount) SELECT d.doc_id, coalesce(o.number, '') || ' ' || coalesce(CASE WHEN json_valid(o.bill_to) THEN json_extract(o.bill_to, '$.name') END, (SELECT c.name FROM organizations c WHERE c.id = o.organization_id), '') || ' ' || coalesce(o.payment_reference || ' ' || replace(o.payment_reference, ' ', ''), '') || ' ' || coalesce(o.import_ref, ''), abs(o.gross_minor) FROM invoices o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'invoice' WHERE o.deleted_at IS NULL;
--> statement-breakpoint
CREATE TRIGGER search_invoices_ai AFTER INSERT ON invoices BEGIN
  DELETE FROM search_invoices WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'invoice');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoices WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'invoice', id FROM invoices WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_invoices (rowid, words, amount) SELECT d.doc_id, coalesce(o.number, '') || ' ' || coalesce(CASE WHEN json_valid(o.bill_to) THEN json_extract(o.bill_to, '$.name') END, (SELECT c.name FROM organizations c WHERE c.id = o.organization_id), '') || ' ' || coalesce(o.payment_reference || ' ' || replace(o.payment_reference, ' ', ''), '') || ' ' || coalesce(o.import_ref, ''), abs(o.gross_minor) FROM invoices o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'invoice' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_invoices_au AFTER UPDATE OF number, bill_to, gross_minor, payment_reference, import_ref, organization_id, deleted_at ON invoices BEGIN
  DELETE FROM search_invoices WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.id AND kind = 'invoice');
  DELETE FROM search_docs WHERE ref_id = new.id AND kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoices WHERE id = new.id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'invoice', id FROM invoices WHERE id = new.id AND deleted_at IS NULL;
  INSERT INTO search_invoices (rowid, words, amount) SELECT d.doc_id, coalesce(o.number, '') || ' ' || coalesce(CASE WHEN json_valid(o.bill_to) THEN json_extract(o.bill_to, '$.name') END, (SELECT c.name FROM organizations c WHERE c.id = o.organization_id), '') || ' ' || coalesce(o.payment_reference || ' ' || replace(o.payment_reference, ' ', ''), '') || ' ' || coalesce(o.import_ref, ''), abs(o.gross_minor) FROM invoices o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'invoice' WHERE o.id = new.id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_invoices_ad AFTER DELETE ON invoices BEGIN
  DELETE FROM search_invoices WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.id AND kind = 'invoice');
  DELETE FROM search_docs WHERE ref_id = old.id AND kind = 'invoice';
END;
--> statement-breakpoint
CREATE TRIGGER search_addresses_ai AFTER INSERT ON billing_addresses BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.organization_id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = new.organization_id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = new.organization_id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = new.organization_id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = new.organization_id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_addresses_au AFTER UPDATE OF city, organization_id, deleted_at ON billing_addresses BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = new.organization_id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = new.organization_id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = new.organization_id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = new.organization_id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = new.organization_id AND o.deleted_at IS NULL;
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.organization_id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = old.organization_id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = old.organization_id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = old.organization_id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = old.organization_id AND o.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_addresses_ad AFTER DELETE ON billing_addresses BEGIN
  DELETE FROM search_organizations WHERE rowid = (SELECT doc_id FROM search_docs WHERE ref_id = old.organization_id AND kind = 'organization');
  DELETE FROM search_docs WHERE ref_id = old.organization_id AND kind = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = old.organization_id AND deleted_at IS NULL);
  INSERT OR IGNORE INTO search_docs (kind, ref_id) SELECT 'organization', id FROM organizations WHERE id = old.organization_id AND deleted_at IS NULL;
  INSERT INTO search_organizations (rowid, words) SELECT d.doc_id, o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '') || ' ' || substr(replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', ''), 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '') FROM organizations o JOIN search_docs d ON d.ref_id = o.id AND d.kind = 'organization' WHERE o.id = old.organization_id AND o.deleted_at IS NULL;
END;
