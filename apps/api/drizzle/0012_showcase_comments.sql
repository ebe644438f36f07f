CREATE TABLE "comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"listing_id" uuid NOT NULL,
	"parent_id" uuid,
	"root_id" uuid NOT NULL,
	"path" text NOT NULL,
	"depth" integer NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"reply_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "comments_depth" CHECK ("comments"."depth" >= 0),
	CONSTRAINT "comments_reply_count" CHECK ("comments"."reply_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "showcase_posts" (
	"listing_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"tagline" text DEFAULT '' NOT NULL,
	"link" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"maker_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"launch_date" date,
	"live" boolean DEFAULT false NOT NULL,
	"posted_at" timestamp with time zone,
	"vote_count" integer DEFAULT 0 NOT NULL,
	"vote_weight" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "showcase_posts_vote_count" CHECK ("showcase_posts"."vote_count" >= 0),
	CONSTRAINT "showcase_posts_vote_weight" CHECK ("showcase_posts"."vote_weight" >= 0)
);
--> statement-breakpoint
CREATE TABLE "showcase_upvotes" (
	"listing_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"weight" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "showcase_upvotes_listing_id_user_id_pk" PRIMARY KEY("listing_id","user_id"),
	CONSTRAINT "showcase_upvotes_weight" CHECK ("showcase_upvotes"."weight" between 0 and 1000)
);
--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_parent_id_comments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "showcase_posts" ADD CONSTRAINT "showcase_posts_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "showcase_posts" ADD CONSTRAINT "showcase_posts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "showcase_upvotes" ADD CONSTRAINT "showcase_upvotes_listing_id_showcase_posts_listing_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."showcase_posts"("listing_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "showcase_upvotes" ADD CONSTRAINT "showcase_upvotes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_listing_roots_idx" ON "comments" USING btree ("listing_id","id") WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "comments_thread_idx" ON "comments" USING btree ("root_id","path");--> statement-breakpoint
CREATE INDEX "comments_parent_idx" ON "comments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "showcase_posts_live_idx" ON "showcase_posts" USING btree ("posted_at") WHERE "showcase_posts"."live";--> statement-breakpoint
CREATE INDEX "showcase_upvotes_user_idx" ON "showcase_upvotes" USING btree ("user_id","created_at");