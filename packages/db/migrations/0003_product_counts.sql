CREATE TABLE `product_counts` (
	`category_id` bigint unsigned NOT NULL,
	`is_active` boolean NOT NULL,
	`in_stock` boolean NOT NULL,
	`n` int NOT NULL,
	CONSTRAINT `product_counts_category_id_is_active_in_stock_pk` PRIMARY KEY(`category_id`,`is_active`,`in_stock`)
);
--> statement-breakpoint
ALTER TABLE `product_counts` ADD CONSTRAINT `product_counts_category_id_categories_id_fk` FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON DELETE cascade ON UPDATE no action;