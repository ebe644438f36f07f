CREATE TABLE "alert_matches" (
	"saved_search_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "alert_matches_saved_search_id_listing_id_pk" PRIMARY KEY("saved_search_id","listing_id")
);
--> statement-breakpoint
CREATE TABLE "recently_viewed" (
	"user_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recently_viewed_user_id_listing_id_pk" PRIMARY KEY("user_id","listing_id")
);
--> statement-breakpoint
CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"alert" text DEFAULT 'off' NOT NULL,
	"last_digest_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_searches_alert" CHECK ("saved_searches"."alert" in ('off', 'instant', 'daily', 'weekly'))
);
--> statement-breakpoint
CREATE TABLE "search_queries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"normalized" text NOT NULL,
	"text" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_matches" ADD CONSTRAINT "alert_matches_saved_search_id_saved_searches_id_fk" FOREIGN KEY ("saved_search_id") REFERENCES "public"."saved_searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_matches" ADD CONSTRAINT "alert_matches_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recently_viewed" ADD CONSTRAINT "recently_viewed_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recently_viewed" ADD CONSTRAINT "recently_viewed_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_searches" ADD CONSTRAINT "saved_searches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_queries" ADD CONSTRAINT "search_queries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_matches_pending_idx" ON "alert_matches" USING btree ("saved_search_id") WHERE "alert_matches"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "recently_viewed_user_idx" ON "recently_viewed" USING btree ("user_id","viewed_at");--> statement-breakpoint
CREATE INDEX "saved_searches_user_idx" ON "saved_searches" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "saved_searches_alert_idx" ON "saved_searches" USING btree ("alert") WHERE "saved_searches"."alert" <> 'off';--> statement-breakpoint
CREATE INDEX "search_queries_created_idx" ON "search_queries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "search_queries_zero_idx" ON "search_queries" USING btree ("created_at") WHERE "search_queries"."result_count" = 0;--> statement-breakpoint
-- Search over the listings table itself (docs/decisions/010): extensions, an immutable fold
-- function, a stored weighted tsvector and the indexes of the main search shapes.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS cube;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS earthdistance;--> statement-breakpoint
-- unaccent() is only STABLE (it reads a dictionary found by search_path); naming the dictionary
-- makes the result fixed, so this wrapper may sit in generated columns and index expressions.
CREATE OR REPLACE FUNCTION souk_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, souk_fold("title")), 'A') ||
  setweight(jsonb_to_tsvector('english'::regconfig, "attributes", '["string", "numeric"]'::jsonb), 'B') ||
  setweight(to_tsvector('english'::regconfig, souk_fold(left("description", 20000))), 'C')
) STORED;--> statement-breakpoint
CREATE INDEX "listings_search_vector_idx" ON "listings" USING gin ("search_vector")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_attributes_idx" ON "listings" USING gin ("attributes" jsonb_path_ops)
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_title_trgm_idx" ON "listings" USING gin (souk_fold("title") gin_trgm_ops)
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_title_prefix_idx" ON "listings" (souk_fold("title") text_pattern_ops)
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_published_idx" ON "listings" ("published_at", "id")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_category_idx" ON "listings" ("category_id", "published_at", "id")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_price_idx" ON "listings" ((coalesce("price_amount", 0)), "id")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_ending_idx" ON "listings" ("expires_at", "id")
  WHERE "status" = 'active' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "listings_search_earth_idx" ON "listings" USING gist (ll_to_earth("latitude", "longitude"))
  WHERE "status" = 'active' AND "deleted_at" IS NULL AND "latitude" IS NOT NULL AND "longitude" IS NOT NULL;
