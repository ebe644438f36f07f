CREATE TABLE "realtime_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
-- The stored events are a replay buffer (decision 008), not a record: emptied rather than
-- numbered (numbering 1M rows took 98 s under this table's lock at load average 30). A client
-- resuming from an event stored before this migration is told `gap` once and reloads over HTTP.
-- Instant, and ids go on from where they were.
TRUNCATE "realtime_events";--> statement-breakpoint
-- contract: the previous release's inserts name no seq, and get one from the trigger below,
-- created in this same transaction (this ALTER holds their inserts until it commits).
ALTER TABLE "realtime_events" ADD COLUMN "seq" bigint NOT NULL;--> statement-breakpoint
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
