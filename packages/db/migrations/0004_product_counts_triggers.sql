-- Custom SQL migration (drizzle-kit generate --custom): the triggers that keep
-- product_counts exact, then the backfill. Each trigger is one statement (its
-- BEGIN ... END included); the migrator splits on statement breakpoints only,
-- so no DELIMITER. Plain SQL that MariaDB 10.11 and MySQL 8 both accept.
-- Triggers first, backfill second: the backfill overwrites each bucket with a
-- COUNT(*) taken under the shared locks INSERT ... SELECT sets on products, so
-- a product written between the two statements is counted once, not twice.
CREATE TRIGGER `products_count_insert` AFTER INSERT ON `products` FOR EACH ROW
INSERT INTO `product_counts` (`category_id`, `is_active`, `in_stock`, `n`)
VALUES (NEW.`category_id`, NEW.`is_active`, NEW.`stock_quantity` > 0, 1)
ON DUPLICATE KEY UPDATE `n` = `n` + 1;
--> statement-breakpoint
CREATE TRIGGER `products_count_update` AFTER UPDATE ON `products` FOR EACH ROW
BEGIN
  -- Only a change of bucket touches the counters: a stock change that stays
  -- above zero (10 -> 9, every sale but the last) locks no counter row.
  IF NEW.`category_id` <> OLD.`category_id`
    OR NEW.`is_active` <> OLD.`is_active`
    OR (NEW.`stock_quantity` > 0) <> (OLD.`stock_quantity` > 0) THEN
    -- The two rows are locked in primary-key order, so opposite moves (a last
    -- sale to 0 and a restock in the same category) cannot deadlock.
    IF (OLD.`category_id`, OLD.`is_active`, OLD.`stock_quantity` > 0)
      < (NEW.`category_id`, NEW.`is_active`, NEW.`stock_quantity` > 0) THEN
      UPDATE `product_counts` SET `n` = `n` - 1
      WHERE `category_id` = OLD.`category_id` AND `is_active` = OLD.`is_active`
        AND `in_stock` = (OLD.`stock_quantity` > 0);
    END IF;
    INSERT INTO `product_counts` (`category_id`, `is_active`, `in_stock`, `n`)
    VALUES (NEW.`category_id`, NEW.`is_active`, NEW.`stock_quantity` > 0, 1)
    ON DUPLICATE KEY UPDATE `n` = `n` + 1;
    IF (OLD.`category_id`, OLD.`is_active`, OLD.`stock_quantity` > 0)
      > (NEW.`category_id`, NEW.`is_active`, NEW.`stock_quantity` > 0) THEN
      UPDATE `product_counts` SET `n` = `n` - 1
      WHERE `category_id` = OLD.`category_id` AND `is_active` = OLD.`is_active`
        AND `in_stock` = (OLD.`stock_quantity` > 0);
    END IF;
  END IF;
END;
--> statement-breakpoint
CREATE TRIGGER `products_count_delete` AFTER DELETE ON `products` FOR EACH ROW
UPDATE `product_counts` SET `n` = `n` - 1
WHERE `category_id` = OLD.`category_id` AND `is_active` = OLD.`is_active`
  AND `in_stock` = (OLD.`stock_quantity` > 0);
--> statement-breakpoint
-- The derived table keeps GROUP BY out of the outer SELECT, which is what
-- lets ON DUPLICATE KEY UPDATE name its column (MySQL 8 and MariaDB alike).
INSERT INTO `product_counts` (`category_id`, `is_active`, `in_stock`, `n`)
SELECT `buckets`.`category_id`, `buckets`.`is_active`, `buckets`.`in_stock`, `buckets`.`counted`
FROM (
  SELECT `category_id`, `is_active`, `stock_quantity` > 0 AS `in_stock`, COUNT(*) AS `counted`
  FROM `products`
  GROUP BY `category_id`, `is_active`, `stock_quantity` > 0
) AS `buckets`
ON DUPLICATE KEY UPDATE `n` = `buckets`.`counted`;
