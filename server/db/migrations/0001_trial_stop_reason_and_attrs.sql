ALTER TABLE "trials" ADD COLUMN "stop_reason" text;--> statement-breakpoint
ALTER TABLE "trials" ADD COLUMN "system_attrs" jsonb DEFAULT '{}'::jsonb NOT NULL;