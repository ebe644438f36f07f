CREATE TABLE "realtime_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
-- Added nullable, numbered per channel in id order, then made NOT NULL (drizzle's single
-- "ADD COLUMN ... NOT NULL" fails on a table that has rows). Decision 038.
ALTER TABLE "realtime_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
UPDATE "realtime_events" AS e SET "seq" = n.seq
FROM (SELECT "id", row_number() OVER (PARTITION BY "channel" ORDER BY "id") AS seq FROM "realtime_events") AS n
WHERE e."id" = n."id";--> statement-breakpoint
ALTER TABLE "realtime_events" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
INSERT INTO "realtime_channels" ("channel", "seq")
SELECT "channel", max("seq") FROM "realtime_events" GROUP BY "channel";
