-- hand-written:
-- Statistics on the price expression that search filters and sorts by (docs/decisions/018).
-- Without them PostgreSQL took a price range's selectivity as a fixed 0.5 %: "electronics between
-- 100 and 500,000" was expected at 1,028 rows and had 202,067 at 1M listings, so the search
-- counted 10,001 rows from the heap (~90 ms) and planned its page for a handful of rows.
CREATE STATISTICS IF NOT EXISTS "listings_price_stats" ON (coalesce("price_amount", 0::bigint)) FROM "listings";
