-- Each row's fields as one ready JSON object text, `{"column": [value, hlc], …}` (what a
-- snapshot line carries, SnapshotRow.fields): a snapshot page is then a keyset scan of hub_rows
-- reading one column, instead of assembling every row from its hub_fields rows on every read
-- (HUB.md "Snapshot and checksum"). hub_fields stays the truth; this is derived from it, kept
-- by each push in the same statement that writes the row's keys (server/sync/push-store.ts:
-- the fields the push wrote are merged into it by the database). NULL means "not derived": a
-- snapshot then folds hub_fields as before (HubStore.fieldsJson).

ALTER TABLE hub_rows ADD COLUMN fields_json TEXT;

-- sqlite only
-- The fields come in primary-key order (table, row, column): the object is sorted by column.
UPDATE hub_rows SET fields_json = (SELECT json_group_object(f.column_name, json_array(f.value, f.hlc))
  FROM hub_fields f WHERE f.table_name = hub_rows.table_name AND f.row_id = hub_rows.row_id);

-- postgres only
UPDATE hub_rows SET fields_json = (SELECT CAST(json_object_agg(f.column_name, json_build_array(f.value, f.hlc) ORDER BY f.column_name) AS text)
  FROM hub_fields f WHERE f.table_name = hub_rows.table_name AND f.row_id = hub_rows.row_id);
