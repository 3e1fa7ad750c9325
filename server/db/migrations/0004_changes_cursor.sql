ALTER TABLE "models" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "trial_epochs" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "trials" ADD COLUMN "change_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "trial_epochs_change_xid_idx" ON "trial_epochs" USING btree ("change_xid");--> statement-breakpoint
-- Hand-written: every update stamps the writing transaction's id, whichever code path wrote the row; a lease
-- renewal alone (heartbeats) changes nothing anyone is shown, so it does not.
CREATE FUNCTION "bump_change_xid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_jsonb(NEW) - 'lease_expires_at' - 'change_xid' IS DISTINCT FROM to_jsonb(OLD) - 'lease_expires_at' - 'change_xid' THEN
    NEW.change_xid := pg_current_xact_id();
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "sweeps_change_xid" BEFORE UPDATE ON "sweeps" FOR EACH ROW EXECUTE FUNCTION "bump_change_xid"();--> statement-breakpoint
CREATE TRIGGER "trials_change_xid" BEFORE UPDATE ON "trials" FOR EACH ROW EXECUTE FUNCTION "bump_change_xid"();
