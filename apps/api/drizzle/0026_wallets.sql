CREATE TABLE "fee_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"category_id" uuid,
	"percent_bps" integer NOT NULL,
	"fixed_amount" bigint,
	"fixed_currency" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_rules_kind_known" CHECK ("fee_rules"."kind" in ('commission', 'processing')),
	CONSTRAINT "fee_rules_percent_range" CHECK ("fee_rules"."percent_bps" between 0 and 10000),
	CONSTRAINT "fee_rules_fixed_whole" CHECK (("fee_rules"."fixed_amount" is null) = ("fee_rules"."fixed_currency" is null) and coalesce("fee_rules"."fixed_amount", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"rate" numeric(21, 9) NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_base_quote_pk" PRIMARY KEY("base","quote"),
	CONSTRAINT "fx_rates_positive" CHECK ("fx_rates"."rate" > 0),
	CONSTRAINT "fx_rates_pair" CHECK ("fx_rates"."base" <> "fx_rates"."quote")
);
--> statement-breakpoint
CREATE TABLE "payout_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"type" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"label" text NOT NULL,
	"holder_name" text NOT NULL,
	"country" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"method_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"release_at" timestamp with time zone NOT NULL,
	"idempotency_key" text NOT NULL,
	"rejection_reason" text,
	"reviewed_by" uuid,
	"failure_code" text,
	"provider_transfer_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount" > 0),
	CONSTRAINT "payouts_status_known" CHECK ("payouts"."status" in ('pending', 'in_review', 'processing', 'paid', 'failed', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "fee_rules" ADD CONSTRAINT "fee_rules_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_methods" ADD CONSTRAINT "payout_methods_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_method_id_payout_methods_id_fk" FOREIGN KEY ("method_id") REFERENCES "public"."payout_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fee_rules_global_idx" ON "fee_rules" USING btree ("kind") WHERE "fee_rules"."category_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "fee_rules_category_idx" ON "fee_rules" USING btree ("kind","category_id") WHERE "fee_rules"."category_id" is not null;--> statement-breakpoint
CREATE INDEX "payout_methods_member_idx" ON "payout_methods" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_member_key_idx" ON "payouts" USING btree ("member_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "payouts_member_recent_idx" ON "payouts" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payouts_due_idx" ON "payouts" USING btree ("status","release_at");