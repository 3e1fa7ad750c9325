CREATE TABLE "artifact_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifact_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
CREATE TABLE "artifacts" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" bigint NOT NULL,
	"blob_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trial_artifacts" ALTER COLUMN "weights" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "trial_artifacts" ADD COLUMN "weights_sha256" text;--> statement-breakpoint
ALTER TABLE "trial_artifacts" ADD COLUMN "weights_bytes" bigint;--> statement-breakpoint
-- Chunks are mostly float weights, which do not compress: store them out of line without trying.
ALTER TABLE "artifact_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
