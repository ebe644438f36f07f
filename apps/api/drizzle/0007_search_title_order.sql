-- Title suggestions filter by prefix AND read in order; a text_pattern_ops index serves LIKE
-- but not ORDER BY, so every title with the prefix was sorted (~300 ms at 1M listings). A
-- "C"-collated index serves both, and `like` on a C-collated value may use it for a prefix.
DROP INDEX IF EXISTS "listings_search_title_prefix_idx";--> statement-breakpoint
CREATE INDEX "listings_search_title_prefix_idx" ON "listings" ((souk_fold("title") COLLATE "C"))
  WHERE "status" = 'active' AND "deleted_at" IS NULL;
