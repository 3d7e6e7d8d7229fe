CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`product_id` text,
	`description` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`discount_bp` integer DEFAULT 0 NOT NULL,
	`vat_rate_bp` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`vat_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `invoice_series` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer_organization_id` text NOT NULL,
	`kind` text NOT NULL,
	`year` integer NOT NULL,
	`code` text NOT NULL,
	`device_id` text NOT NULL,
	`next_sequence` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`issuer_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_series_uq` ON `invoice_series` (`issuer_organization_id`,`kind`,`year`,`code`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`kind` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`organization_id` text NOT NULL,
	`products_organization_id` text NOT NULL,
	`issuer_organization_id` text NOT NULL,
	`billing_address_id` text,
	`currency` text NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`series` text,
	`sequence` integer,
	`number` text,
	`issued_on` text NOT NULL,
	`due_on` text,
	`bill_to` text,
	`issuer` text,
	`reverse_charge` integer DEFAULT false NOT NULL,
	`net_minor` integer DEFAULT 0 NOT NULL,
	`vat_minor` integer DEFAULT 0 NOT NULL,
	`gross_minor` integer DEFAULT 0 NOT NULL,
	`paid_minor` integer DEFAULT 0 NOT NULL,
	`reference_type` text,
	`payment_reference` text,
	`corrects_invoice_id` text,
	`converted_from_id` text,
	`notes` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`products_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`billing_address_id`) REFERENCES `billing_addresses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`issuer_organization_id`,`number`) WHERE number is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_series_seq_uq` ON `invoices` (`issuer_organization_id`,`series`,`sequence`) WHERE sequence is not null;--> statement-breakpoint
CREATE INDEX `invoices_org_issued_idx` ON `invoices` (`organization_id`,`issued_on`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_issued_idx` ON `invoices` (`issued_on`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_status_cover_idx` ON `invoices` (`status`,`currency`,`issued_on`,`gross_minor`,`paid_minor`);--> statement-breakpoint
CREATE INDEX `invoices_due_idx` ON `invoices` (`organization_id`,`status`,`due_on`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`hlc` text NOT NULL,
	`organization_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`booked_on` text NOT NULL,
	`invoice_id` text,
	`payment_id` text,
	`reverses_entry_id` text,
	`method` text,
	`note` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_org_idx` ON `ledger_entries` (`organization_id`,`currency`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`hlc` text NOT NULL,
	`organization_id` text NOT NULL,
	`invoice_id` text,
	`method` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`received_on` text NOT NULL,
	`reference` text,
	`outcome` text NOT NULL,
	`deposit_reason` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `payments_org_idx` ON `payments` (`organization_id`,`received_on`);--> statement-breakpoint
CREATE TABLE `prepaid_balances` (
	`organization_id` text NOT NULL,
	`currency` text NOT NULL,
	`balance_minor` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organization_id`, `currency`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `iban` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `payment_term_days` integer DEFAULT 30 NOT NULL;