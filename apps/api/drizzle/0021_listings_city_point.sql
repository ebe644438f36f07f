-- Issue 16 #17: a listing placed in a city without an exact point had no point at all, so a
-- distance search ("within 25 km of Kandy") missed it. Its search point falls back to its city's
-- coordinates, marked so that it is never shown or exported as the seller's own point. Existing
-- rows are filled here; the listings service sets it on every write from now on.
ALTER TABLE "listings" ADD COLUMN "point_from_city" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "listings" AS l SET "latitude" = c."latitude", "longitude" = c."longitude", "point_from_city" = true
  FROM "locations" AS c
  WHERE c."id" = l."location_id" AND (l."latitude" IS NULL OR l."longitude" IS NULL)
    AND c."latitude" IS NOT NULL AND c."longitude" IS NOT NULL;
