ALTER TABLE "trial_epochs" ADD COLUMN "attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trials" ADD COLUMN "attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trial_epochs" DROP CONSTRAINT "trial_epochs_trial_id_epoch_pk";--> statement-breakpoint
ALTER TABLE "trial_epochs" ADD CONSTRAINT "trial_epochs_trial_id_attempt_epoch_pk" PRIMARY KEY("trial_id","attempt","epoch");
