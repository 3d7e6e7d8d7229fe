CREATE TABLE `reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`issuer_organization_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`level` integer NOT NULL,
	`final` integer DEFAULT false NOT NULL,
	`reminded_on` text NOT NULL,
	`pay_by` text NOT NULL,
	`due_minor` integer NOT NULL,
	`fee_minor` integer DEFAULT 0 NOT NULL,
	`fees_minor` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reminders_invoice_idx` ON `reminders` (`invoice_id`,`level`);--> statement-breakpoint
CREATE INDEX `reminders_org_idx` ON `reminders` (`organization_id`,`reminded_on`) WHERE deleted_at is null;--> statement-breakpoint
ALTER TABLE `organizations` ADD `reminder_levels` text;