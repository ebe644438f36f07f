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
--> statement-breakpoint
-- Every insert takes its channel's next seq, whoever inserts (this release, or the previous one
-- during a rolling deploy: expand-safe). The counter row stays locked until the insert commits,
-- so a channel's events commit in seq order; the id is taken again after that lock, so ids grow
-- with seq within a channel and "id > lastEventId" replays stay complete (decision 038).
CREATE FUNCTION "realtime_events_number"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "realtime_channels" AS c ("channel", "seq") VALUES (NEW."channel", 1)
  ON CONFLICT ("channel") DO UPDATE SET "seq" = c."seq" + 1
  RETURNING c."seq" INTO NEW."seq";
  NEW."id" := nextval(pg_get_serial_sequence('realtime_events', 'id'));
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "realtime_events_number" BEFORE INSERT ON "realtime_events"
FOR EACH ROW EXECUTE FUNCTION "realtime_events_number"();
