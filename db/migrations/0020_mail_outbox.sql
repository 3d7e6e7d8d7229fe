CREATE TABLE `mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`document_kind` text NOT NULL,
	`document_id` text,
	`document_label` text NOT NULL,
	`organization_id` text,
	`recipients` text NOT NULL,
	`subject` text NOT NULL,
	`locale` text NOT NULL,
	`attachments` text NOT NULL,
	`message` blob NOT NULL,
	`message_id` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error_code` text,
	`last_error_params` text,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_document_idx` ON `mail_outbox` (`document_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_created_idx` ON `mail_outbox` (`created_at`);