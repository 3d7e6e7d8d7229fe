CREATE TABLE `activity` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`hlc` text NOT NULL,
	`actor_person_id` text,
	`device_id` text NOT NULL,
	`organization_id` text,
	`product_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `activity_org_at_idx` ON `activity` (`organization_id`,`at`);--> statement-breakpoint
CREATE INDEX `activity_product_at_idx` ON `activity` (`product_id`,`at`);--> statement-breakpoint
CREATE INDEX `activity_action_at_idx` ON `activity` (`action`,`at`);--> statement-breakpoint
CREATE TABLE `billing_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`label` text NOT NULL,
	`recipient` text NOT NULL,
	`line1` text NOT NULL,
	`line2` text,
	`postal_code` text NOT NULL,
	`city` text NOT NULL,
	`country` text NOT NULL,
	`email` text,
	`is_default` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `billing_addresses_org_idx` ON `billing_addresses` (`organization_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `billing_addresses_one_default_uq` ON `billing_addresses` (`organization_id`) WHERE is_default = 1 and deleted_at is null;--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`currency` text NOT NULL,
	`vat_number` text,
	`uid` text,
	`color` text NOT NULL,
	`logo` text,
	`renewal_reminder_days` integer
);
--> statement-breakpoint
CREATE INDEX `organizations_name_idx` ON `organizations` (`name`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`external` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_org_idx` ON `memberships` (`organization_id`);--> statement-breakpoint
CREATE INDEX `memberships_person_idx` ON `memberships` (`person_id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`avatar` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_uq` ON `people` (`email`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`public_price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`billing_frequency` text NOT NULL,
	`next_renewal_on` text NOT NULL,
	`auto_renew` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`billing_address_id` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`billing_address_id`) REFERENCES `billing_addresses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `products_org_name_idx` ON `products` (`organization_id`,`name`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_org_renewal_idx` ON `products` (`organization_id`,`next_renewal_on`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_org_price_idx` ON `products` (`organization_id`,`public_price_minor`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_org_kind_idx` ON `products` (`organization_id`,`kind`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_org_status_idx` ON `products` (`organization_id`,`status`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`column_name` text NOT NULL,
	`value` text,
	`hub_seq` integer
);
--> statement-breakpoint
CREATE INDEX `change_log_field_idx` ON `change_log` (`table_name`,`row_id`,`column_name`,`hlc`);--> statement-breakpoint
CREATE INDEX `change_log_outbox_idx` ON `change_log` (`hub_seq`,`seq`);--> statement-breakpoint
CREATE TABLE `device` (
	`id` text PRIMARY KEY NOT NULL,
	`current` integer NOT NULL,
	`created_at` text NOT NULL,
	`bound_to` text NOT NULL,
	`last_hlc` text NOT NULL,
	`retired_at` text,
	`retired_reason` text
);
--> statement-breakpoint
CREATE TABLE `product_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`product_id` text NOT NULL,
	`tag_id` text NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_tags_tag_idx` ON `product_tags` (`tag_id`,`product_id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `product_tags_product_idx` ON `product_tags` (`product_id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`color` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_org_name_uq` ON `tags` (`organization_id`,`name_key`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `work_team_members` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`team_id` text NOT NULL,
	`person_id` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `work_teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_team_members_team_idx` ON `work_team_members` (`team_id`);--> statement-breakpoint
CREATE TABLE `work_team_products` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`team_id` text NOT NULL,
	`product_id` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `work_teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_team_products_team_idx` ON `work_team_products` (`team_id`);--> statement-breakpoint
CREATE TABLE `work_teams` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`leader_person_id` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leader_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_teams_org_idx` ON `work_teams` (`organization_id`);