CREATE TABLE `received_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`format` text NOT NULL,
	`type_code` text NOT NULL,
	`credit_note` integer NOT NULL,
	`number` text NOT NULL,
	`issued_on` text NOT NULL,
	`due_on` text,
	`currency` text NOT NULL,
	`seller_name` text NOT NULL,
	`seller_key` text NOT NULL,
	`seller_vat_id` text,
	`net_minor` integer NOT NULL,
	`vat_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`payable_minor` integer NOT NULL,
	`payment_reference` text,
	`iban` text,
	`model` text NOT NULL,
	`file_name` text NOT NULL,
	`file` blob NOT NULL,
	`xml` text NOT NULL,
	`sha256` text NOT NULL,
	`imported_at` text NOT NULL,
	`paid_on` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `received_documents_number_uq` ON `received_documents` (`organization_id`,`seller_key`,`type_code`,`number`);--> statement-breakpoint
CREATE INDEX `received_documents_org_issued_idx` ON `received_documents` (`organization_id`,`issued_on`,`id`);--> statement-breakpoint
CREATE INDEX `received_documents_issued_idx` ON `received_documents` (`issued_on`,`id`);--> statement-breakpoint
CREATE INDEX `received_documents_sha_idx` ON `received_documents` (`sha256`);