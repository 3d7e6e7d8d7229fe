ALTER TABLE `organizations` ADD `invoice_code` text;--> statement-breakpoint
CREATE INDEX `invoices_number_idx` ON `invoices` (`number`) WHERE number is not null;