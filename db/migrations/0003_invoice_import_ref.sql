ALTER TABLE `invoices` ADD `import_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_import_ref_uq` ON `invoices` (`issuer_organization_id`,`import_ref`) WHERE import_ref is not null;