ALTER TABLE `product_images` ADD `variants` enum('none','pending','ready') DEFAULT 'none' NOT NULL;--> statement-breakpoint
-- Rows made before variants were a job had theirs made in the request: a thumbnail means they exist.
UPDATE `product_images` SET `variants` = 'ready' WHERE `thumbnail_url` IS NOT NULL;
