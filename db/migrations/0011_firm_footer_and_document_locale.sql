ALTER TABLE `organizations` ADD `invoice_footer` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `document_locale` text;