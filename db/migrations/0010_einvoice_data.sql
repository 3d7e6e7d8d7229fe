ALTER TABLE `billing_addresses` ADD `street` text;--> statement-breakpoint
ALTER TABLE `billing_addresses` ADD `building_number` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `siren` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `siret` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `leitweg_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `peppol_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `operation_category` text DEFAULT 'services' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `vat_on_debits` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `payment_means_code` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `bic` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `qr_iban` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `short_name` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `einvoice_format` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `unit_code` text DEFAULT 'C62' NOT NULL;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `vat_category` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `exemption_reason` text;
--> statement-breakpoint
-- Split the one-line streets already in the store (common/street-line.ts is the same rule in
-- TypeScript; test/unit/street-line.test.ts runs both on one corpus). A line without a digit is a
-- street without a building number; a number at the end or at the start, the rest without digits,
-- is split; anything else keeps street NULL and is listed by `kontor addresses unsplit`.
UPDATE `billing_addresses` SET `street` = trim(`line1`) WHERE trim(`line1`) <> '' AND trim(`line1`) NOT GLOB '*[0-9,/]*';
--> statement-breakpoint
UPDATE `billing_addresses` SET
  `street` = trim(CASE WHEN substr(h, -1) = ',' THEN substr(h, 1, length(h) - 1) ELSE h END),
  `building_number` = t
FROM (
  SELECT id AS sid, rtrim(trim(line1), replace(trim(line1), ' ', '')) AS h,
         substr(trim(line1), length(rtrim(trim(line1), replace(trim(line1), ' ', ''))) + 1) AS t
  FROM `billing_addresses`
) AS p
WHERE `billing_addresses`.id = p.sid AND `street` IS NULL AND instr(trim(`line1`), ' ') > 0
  AND t GLOB '[0-9]*' AND t NOT GLOB '*[^0-9A-Za-z/-]*' AND length(t) <= 16
  AND trim(CASE WHEN substr(trim(h), -1) = ',' THEN substr(trim(h), 1, length(trim(h)) - 1) ELSE trim(h) END) <> ''
  AND trim(CASE WHEN substr(trim(h), -1) = ',' THEN substr(trim(h), 1, length(trim(h)) - 1) ELSE trim(h) END) NOT GLOB '*[0-9,/]*';
--> statement-breakpoint
UPDATE `billing_addresses` SET
  `street` = r,
  `building_number` = CASE WHEN substr(f, -1) = ',' THEN substr(f, 1, length(f) - 1) ELSE f END
FROM (
  SELECT id AS sid, substr(trim(line1), 1, instr(trim(line1), ' ') - 1) AS f,
         trim(substr(trim(line1), instr(trim(line1), ' ') + 1)) AS r
  FROM `billing_addresses`
) AS p
WHERE `billing_addresses`.id = p.sid AND `street` IS NULL AND instr(trim(`line1`), ' ') > 0
  AND (CASE WHEN substr(f, -1) = ',' THEN substr(f, 1, length(f) - 1) ELSE f END) GLOB '[0-9]*'
  AND (CASE WHEN substr(f, -1) = ',' THEN substr(f, 1, length(f) - 1) ELSE f END) NOT GLOB '*[^0-9A-Za-z/-]*'
  AND length(CASE WHEN substr(f, -1) = ',' THEN substr(f, 1, length(f) - 1) ELSE f END) BETWEEN 1 AND 16
  AND r <> '' AND r NOT GLOB '*[0-9,/]*';
