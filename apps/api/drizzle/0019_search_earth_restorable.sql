-- hand-written:
-- A plain `pg_dump` / `pg_restore` could not rebuild the point index: pg_restore runs with an
-- empty search_path, earthdistance's ll_to_earth is a SQL function whose text body names the
-- `earth` type unqualified, and planning the index expression parses that body ("type earth does
-- not exist"; the restore exited 1 without the index). souk_ll_to_earth is the same formula with
-- a SQL-standard body: it is parsed once here, against public's objects, and stored resolved, so
-- no search_path is read when an index over it is built or used. Same point, same cost per row.
CREATE OR REPLACE FUNCTION souk_ll_to_earth(latitude float8, longitude float8) RETURNS public.earth
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.cube(
    public.cube(
      public.cube(public.earth() * cos(radians(latitude)) * cos(radians(longitude))),
      public.earth() * cos(radians(latitude)) * sin(radians(longitude))
    ),
    public.earth() * sin(radians(latitude))
  )::public.earth;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "listings_search_earth_point_idx" ON "listings" USING gist (souk_ll_to_earth("latitude", "longitude")) INCLUDE ("latitude", "longitude", "category_id", "price_amount")
  WHERE "status" = 'active' AND "deleted_at" IS NULL AND "latitude" IS NOT NULL AND "longitude" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "listings_search_earth_cover_idx";--> statement-breakpoint
ALTER INDEX "listings_search_earth_point_idx" RENAME TO "listings_search_earth_cover_idx";
