-- Issue 17: the platform primitives. flow_runs records how far a multi-step flow got, so a job
-- resumes it after a crash (platform/flows); idempotency_keys keeps the first answer to a request
-- sent with an Idempotency-Key for 24 h (platform/http/idempotency).
CREATE TABLE "flow_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key" text,
	"input" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"compensated" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"step_reached" text,
	"error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "flow_runs_name_key_idx" ON "flow_runs" USING btree ("name","key") WHERE "flow_runs"."key" is not null;--> statement-breakpoint
CREATE INDEX "flow_runs_unfinished_idx" ON "flow_runs" USING btree ("locked_until") WHERE "flow_runs"."status" in ('running', 'compensating');--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");