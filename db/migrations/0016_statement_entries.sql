CREATE TABLE `statement_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`imported_at` text NOT NULL,
	`file_name` text NOT NULL,
	`account_iban` text,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`booked_on` text NOT NULL,
	`value_on` text NOT NULL,
	`reference` text,
	`remittance` text,
	`debtor_name` text,
	`reason` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolved_at` text,
	`payment_id` text
);
--> statement-breakpoint
CREATE INDEX `statement_entries_status_idx` ON `statement_entries` (`status`,`booked_on`);