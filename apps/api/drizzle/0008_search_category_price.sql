-- Price-sorted browsing of one category ("cars, cheapest first") walks this index in order
-- instead of the whole table's price order filtered down to the category (66 ms at 100k).
CREATE INDEX IF NOT EXISTS "listings_search_category_price_idx" ON "listings" ("category_id", (coalesce("price_amount", 0)), "id")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;
