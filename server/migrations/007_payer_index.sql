-- The other side of a row (an invoice's payer, a partnership's firm) indexed like its owner
-- (hub_rows_org_idx): every push computes the caller's scope, which reads the invoices whose
-- issuer OR payer is one of the caller's organizations (server/scope.ts firstReads). Without
-- this index the payer half of that OR scans every invoice of the hub on each push (SQLite and
-- PostgreSQL alike), so a push grew with the whole hub instead of with the caller's
-- organizations (HUB.md "Round trips of a push").

CREATE INDEX IF NOT EXISTS hub_rows_org2_idx ON hub_rows (table_name, org2_id);
