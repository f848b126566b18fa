-- Custom SQL migration (drizzle-kit generate --custom): the full-text index
-- product search reads (MATCH ... AGAINST in boolean mode, see
-- packages/api/src/products/search.ts). drizzle's schema builder has no
-- FULLTEXT index, so it lives here; the schema's snapshot does not list it,
-- and drizzle-kit leaves indexes it does not know alone. InnoDB, MariaDB
-- 10.11 and MySQL 8 alike.
CREATE FULLTEXT INDEX `products_search_idx` ON `products` (`name`, `description`);
