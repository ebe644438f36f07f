CREATE TABLE "search_browse_facets" (
	"category_id" uuid NOT NULL,
	"facet" text NOT NULL,
	"value" text NOT NULL,
	"count" integer NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "search_browse_facets_category_id_facet_value_pk" PRIMARY KEY("category_id","facet","value")
);
--> statement-breakpoint
ALTER TABLE "search_browse_facets" ADD CONSTRAINT "search_browse_facets_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;