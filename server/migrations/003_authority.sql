-- Who a hub user is (SYNC.md "Who may write what"): the firm's staff (firm_role
-- 'administrator' or 'accountant'), or a person of the book (person_id, a people row) whose
-- rights come from their memberships and their organizations' partnerships in the hub's own
-- state. Users that existed before this migration were the firm's: they stay administrators.
ALTER TABLE hub_users ADD COLUMN firm_role TEXT;
ALTER TABLE hub_users ADD COLUMN person_id TEXT;
UPDATE hub_users SET firm_role = 'administrator';

-- The organizations a user created by pushing them (its legal representative until a
-- membership says otherwise), as opposed to those an administrator linked.
ALTER TABLE hub_user_orgs ADD COLUMN created BIGINT NOT NULL DEFAULT 0;

-- Invoice numbers per issuer: unique, whatever device issued them.
CREATE TABLE IF NOT EXISTS hub_numbers (
  issuer_id TEXT NOT NULL,
  number TEXT NOT NULL,
  row_id TEXT NOT NULL,
  PRIMARY KEY (issuer_id, number)
);

-- Enrollment attempts per address and per user, for throttling guesses.
CREATE TABLE IF NOT EXISTS hub_enroll_attempts (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_enroll_attempts_idx ON hub_enroll_attempts (key, at);

INSERT INTO hub_numbers (issuer_id, number, row_id)
  SELECT i.value, n.value, n.row_id FROM hub_fields n
  JOIN hub_fields i ON i.table_name = 'invoices' AND i.row_id = n.row_id AND i.column_name = 'issuer_organization_id'
  WHERE n.table_name = 'invoices' AND n.column_name = 'number' AND n.value IS NOT NULL AND i.value IS NOT NULL
  ON CONFLICT (issuer_id, number) DO NOTHING;
