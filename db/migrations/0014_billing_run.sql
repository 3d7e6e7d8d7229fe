CREATE TABLE `renewals` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`hlc` text NOT NULL,
	`period_key` text NOT NULL,
	`product_id` text NOT NULL,
	`products_organization_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`issuer_organization_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`frequency` text NOT NULL,
	`origin` text NOT NULL,
	`net_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`money_case` text NOT NULL,
	`partnership_id` text,
	`partner_organization_id` text,
	`cashback_minor` integer DEFAULT 0 NOT NULL,
	`line_description` text NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`products_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `renewals_key_idx` ON `renewals` (`period_key`);--> statement-breakpoint
CREATE INDEX `renewals_invoice_idx` ON `renewals` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `renewals_product_idx` ON `renewals` (`product_id`,`period_start`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `billing_horizon_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `renewal_catch_up` text DEFAULT 'each' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `payment_profile` text DEFAULT 'prepaid_first' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `renewal_grace_days` integer DEFAULT 15 NOT NULL;
--> statement-breakpoint
-- A renewal claim is a record of the book, like a payment: never changed, never removed
-- (except by sync's own purge of rows leaving the device's scope, under sync_guard).
CREATE TRIGGER renewals_append_only_update BEFORE UPDATE ON renewals
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
--> statement-breakpoint
CREATE TRIGGER renewals_append_only_delete BEFORE DELETE ON renewals
WHEN NOT EXISTS (SELECT 1 FROM sync_guard)
BEGIN
  SELECT RAISE(ABORT, 'money_record_immutable');
END;
