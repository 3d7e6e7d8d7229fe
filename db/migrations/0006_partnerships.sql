CREATE TABLE `degressive_tiers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`product_kind` text NOT NULL,
	`min_quantity` integer NOT NULL,
	`rate_bp` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partner_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`partnership_id` text NOT NULL,
	`kind` text NOT NULL,
	`before` text,
	`after` text,
	`read_at` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_notices_org_idx` ON `partner_notices` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `partner_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`organization_id` text NOT NULL,
	`product_kind` text NOT NULL,
	`discount_bp` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `partnership_products` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`partnership_id` text NOT NULL,
	`product_id` text NOT NULL,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partnership_products_product_uq` ON `partnership_products` (`product_id`) WHERE deleted_at is null and id = partnership_id || ':' || product_id;--> statement-breakpoint
CREATE INDEX `partnership_products_partnership_idx` ON `partnership_products` (`partnership_id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE TABLE `partnerships` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`partner_organization_id` text NOT NULL,
	`client_organization_id` text NOT NULL,
	`requested_access` text NOT NULL,
	`requested_payment` text,
	`access` text NOT NULL,
	`payment` text,
	`status` text NOT NULL,
	`invited_by` text NOT NULL,
	`invited_by_person_id` text,
	`invited_email` text,
	`invited_at` text NOT NULL,
	`last_sent_at` text NOT NULL,
	`send_count` integer DEFAULT 1 NOT NULL,
	`responded_at` text,
	`responded_by_person_id` text,
	`ended_at` text,
	`ended_by` text,
	`ended_by_person_id` text,
	FOREIGN KEY (`partner_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responded_by_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partnerships_one_complete_uq` ON `partnerships` (`client_organization_id`) WHERE status = 'active' and access = 'complete' and deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX `partnerships_open_pair_uq` ON `partnerships` (`partner_organization_id`,`client_organization_id`) WHERE status in ('invited', 'active') and deleted_at is null;--> statement-breakpoint
CREATE INDEX `partnerships_partner_idx` ON `partnerships` (`partner_organization_id`,`status`);--> statement-breakpoint
CREATE INDEX `partnerships_client_idx` ON `partnerships` (`client_organization_id`,`status`);--> statement-breakpoint
CREATE TABLE `price_book` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`product_kind` text NOT NULL,
	`currency` text NOT NULL,
	`public_price_minor` integer NOT NULL
);
