CREATE INDEX `products_active_price_idx` ON `products` (`is_active`,`price`);--> statement-breakpoint
CREATE INDEX `products_active_name_idx` ON `products` (`is_active`,`name`);--> statement-breakpoint
CREATE INDEX `products_active_stock_idx` ON `products` (`is_active`,`stock_quantity`);--> statement-breakpoint
CREATE INDEX `products_category_active_created_idx` ON `products` (`category_id`,`is_active`,`created_at`);