CREATE TABLE `invoice_voids` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`hlc` text NOT NULL,
	`issuer_organization_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`kind` text NOT NULL,
	`series` text NOT NULL,
	`sequence` integer NOT NULL,
	`number` text NOT NULL,
	`voided_on` text NOT NULL,
	`reason` text NOT NULL,
	`winning_number` text,
	`device_id` text NOT NULL,
	FOREIGN KEY (`issuer_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_voids_number_uq` ON `invoice_voids` (`issuer_organization_id`,`number`);--> statement-breakpoint
CREATE INDEX `invoice_voids_series_idx` ON `invoice_voids` (`issuer_organization_id`,`series`,`sequence`);
--> statement-breakpoint
-- A void is a record of the book, like a payment: never changed, never removed (except by
-- sync's own purge of rows leaving the device's scope, under sync_guard).
CREATE TRIGGER invoice_voids_append_only_update BEFORE UPDATE ON invoice_voids
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_voids_append_only_delete BEFORE DELETE ON invoice_voids
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
